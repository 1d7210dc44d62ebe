#include "config.h"

#include "ui/keys.h"

#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmd.h"

/* clang-format off */
const struct hs_key_view hs_key_views[] = {
    {"global",   "Everywhere"},
    {"data",     "Data view (1)"},
    {"stats",    "Statistics view (2)"},
    {"datasets", "Datasets view (3)"},
    {"features", "Features view (4)"},
    {"hist",     "Histogram view (5)"},
    {"cuts",     "Cuts view (6)"},
    {"roc",      "ROC view (7)"},
    {"train",    "Training view (8)"},
    {"proj",     "Projections view (9)"},
    {"clust",    "Clusters view (0)"},
    {"overlay",  "Help and output windows"},
    {NULL, NULL},
};

/* The one key table.  Order matters only for the help screen: keys with
 * the same command and note next to each other are listed on one line. */
const struct hs_key_binding hs_key_table[] = {
    {"global",   "q",         "quit",                "quit"},
    {"global",   "?",         "keys",                "show the keys"},
    {"global",   "F1",        "keys",                "show the keys"},
    {"global",   ":",         "prompt",              "type a command"},
    {"global",   "Esc",       "close",               "close the help or output window"},
    {"global",   "Tab",       "view next",           "next view"},
    {"global",   "BTab",      "view previous",       "previous view"},
    {"global",   "1",         "view data",           "data view"},
    {"global",   "2",         "view stats",          "column statistics"},
    {"global",   "3",         "view datasets",       "dataset list"},
    {"global",   "4",         "view features",       "features and their separation"},
    {"global",   "5",         "view hist",           "histograms of the features"},
    {"global",   "6",         "view cuts",           "cuts on the features, with the cut flow"},
    {"global",   "7",         "view roc",            "ROC curves of the cut sets and models"},
    {"global",   "8",         "view train",          "train a network, see its results"},
    {"global",   "9",         "view proj",           "projections: maps of the events, box selections"},
    {"global",   "0",         "view clust",          "clusters: BIC and AIC against K, the clusters' table"},
    {"global",   "]",         "next-dataset",        "show the next dataset"},
    {"global",   "[",         "previous-dataset",    "show the previous dataset"},
    {"global",   "C-l",       "redraw",              "redraw the screen"},

    {"data",     "Down",      "move down",           "next row"},
    {"data",     "j",         "move down",           "next row"},
    {"data",     "Up",        "move up",             "previous row"},
    {"data",     "k",         "move up",             "previous row"},
    {"data",     "PgDn",      "move page-down",      "next page"},
    {"data",     "C-f",       "move page-down",      "next page"},
    {"data",     "PgUp",      "move page-up",        "previous page"},
    {"data",     "C-b",       "move page-up",        "previous page"},
    {"data",     "Home",      "move top",            "first row"},
    {"data",     "g",         "move top",            "first row"},
    {"data",     "End",       "move bottom",         "last row"},
    {"data",     "G",         "move bottom",         "last row"},
    {"data",     "Right",     "move right",          "next column"},
    {"data",     "l",         "move right",          "next column"},
    {"data",     "Left",      "move left",           "previous column"},
    {"data",     "h",         "move left",           "previous column"},
    {"data",     "^",         "move first-column",   "first column"},
    {"data",     "$",         "move last-column",    "last column"},
    {"data",     "WheelDown", "move down 3",         "scroll down"},
    {"data",     "WheelUp",   "move up 3",           "scroll up"},
    {"data",     "/",         "prompt find",         "find a value or text in the current column"},
    {"data",     "n",         "find-next",           "the next match"},
    {"data",     "N",         "find-previous",       "the previous match"},
    {"data",     "w",         "prompt where",        "select events: type :where EXPR (alone: all)"},
    {"data",     "s",         "data-sort",           "sort by the current column: ascending, descending"},
    {"data",     "u",         "data-sort none",      "unsorted: the events in their order"},
    {"data",     "F",         "data-freq",           "frequency table of the current column"},

    {"stats",    "Down",      "move down",           "next column"},
    {"stats",    "j",         "move down",           "next column"},
    {"stats",    "Up",        "move up",             "previous column"},
    {"stats",    "k",         "move up",             "previous column"},
    {"stats",    "PgDn",      "move page-down",      "next page"},
    {"stats",    "C-f",       "move page-down",      "next page"},
    {"stats",    "C-b",       "move page-up",        "previous page"},
    {"stats",    "PgUp",      "move page-up",        "previous page"},
    {"stats",    "Home",      "move top",            "first column"},
    {"stats",    "g",         "move top",            "first column"},
    {"stats",    "End",       "move bottom",         "last column"},
    {"stats",    "G",         "move bottom",         "last column"},
    {"stats",    "Enter",     "goto-column",         "show this column in the data view"},
    {"stats",    "WheelDown", "move down 3",         "scroll down"},
    {"stats",    "WheelUp",   "move up 3",           "scroll up"},

    {"datasets", "Down",      "move down",           "next dataset"},
    {"datasets", "j",         "move down",           "next dataset"},
    {"datasets", "Up",        "move up",             "previous dataset"},
    {"datasets", "k",         "move up",             "previous dataset"},
    {"datasets", "PgDn",      "move page-down",      "next page"},
    {"datasets", "PgUp",      "move page-up",        "previous page"},
    {"datasets", "Home",      "move top",            "first dataset"},
    {"datasets", "g",         "move top",            "first dataset"},
    {"datasets", "End",       "move bottom",         "last dataset"},
    {"datasets", "G",         "move bottom",         "last dataset"},
    {"datasets", "Enter",     "select-dataset",      "open the highlighted dataset"},
    {"datasets", "WheelDown", "move down",           "scroll down"},
    {"datasets", "WheelUp",   "move up",             "scroll up"},

    {"features", "Down",      "move down",           "next feature"},
    {"features", "j",         "move down",           "next feature"},
    {"features", "Up",        "move up",             "previous feature"},
    {"features", "k",         "move up",             "previous feature"},
    {"features", "PgDn",      "move page-down",      "next page"},
    {"features", "C-f",       "move page-down",      "next page"},
    {"features", "PgUp",      "move page-up",        "previous page"},
    {"features", "C-b",       "move page-up",        "previous page"},
    {"features", "Home",      "move top",            "first feature"},
    {"features", "g",         "move top",            "first feature"},
    {"features", "End",       "move bottom",         "last feature"},
    {"features", "G",         "move bottom",         "last feature"},
    {"features", "Space",     "feature-toggle",      "turn the feature on or off"},
    {"features", "s",         "feature-sort",        "sort: separation, AUC, name, file"},
    {"features", "a",         "feature-new",         "add a derived feature"},
    {"features", "d",         "feature-drop",        "drop the derived feature"},
    {"features", "S",         "feature-suggest",     "add suggested pair quantities"},
    {"features", "Enter",     "goto-column",         "show the feature in the data view"},
    {"features", "w",         "prompt where",        "select events: type :where EXPR (alone: all)"},
    {"features", "WheelDown", "move down 3",         "scroll down"},
    {"features", "WheelUp",   "move up 3",           "scroll up"},

    {"hist",     "Right",     "hist-feature next",   "next enabled feature"},
    {"hist",     "Left",      "hist-feature previous", "previous enabled feature"},
    {"hist",     "Down",      "move down",           "next enabled feature"},
    {"hist",     "j",         "move down",           "next enabled feature"},
    {"hist",     "Up",        "move up",             "previous enabled feature"},
    {"hist",     "k",         "move up",             "previous enabled feature"},
    {"hist",     "PgDn",      "move page-down",      "next enabled feature"},
    {"hist",     "PgUp",      "move page-up",        "previous enabled feature"},
    {"hist",     "Home",      "move top",            "first enabled feature"},
    {"hist",     "End",       "move bottom",         "last enabled feature"},
    {"hist",     "G",         "move bottom",         "last enabled feature"},
    {"hist",     "+",         "hist-bins more",      "twice the bins"},
    {"hist",     "=",         "hist-bins more",      "twice the bins"},
    {"hist",     "-",         "hist-bins fewer",     "half the bins"},
    {"hist",     "l",         "hist-feature next",   "next enabled feature"},
    {"hist",     "h",         "hist-feature previous", "previous enabled feature"},
    {"hist",     "g",         "move top",            "first enabled feature"},
    {"hist",     "L",         "hist-log",            "log or linear y axis"},
    {"hist",     "A",         "hist-norm",           "normalise to unit area, or counts"},
    {"hist",     "#",         "hist-grid",           "all enabled features, or one"},
    {"hist",     "w",         "prompt where",        "select events: type :where EXPR (alone: all)"},
    {"hist",     "p",         "hist-save",           "save the figure as ./hepscope-DATASET-FEATURE.png (the grid: -grid.png)"},

    {"cuts",     "Down",      "move down",           "next feature"},
    {"cuts",     "j",         "move down",           "next feature"},
    {"cuts",     "Up",        "move up",             "previous feature"},
    {"cuts",     "k",         "move up",             "previous feature"},
    {"cuts",     "PgDn",      "move page-down",      "next page"},
    {"cuts",     "PgUp",      "move page-up",        "previous page"},
    {"cuts",     "Home",      "move top",            "first feature"},
    {"cuts",     "g",         "move top",            "first feature"},
    {"cuts",     "End",       "move bottom",         "last feature"},
    {"cuts",     "G",         "move bottom",         "last feature"},
    {"cuts",     "Left",      "move left",           "the lower cut"},
    {"cuts",     "h",         "move left",           "the lower cut"},
    {"cuts",     "Right",     "move right",          "the upper cut"},
    {"cuts",     "l",         "move right",          "the upper cut"},
    {"cuts",     "Enter",     "cuts-edit",           "type the cut (empty: no cut)"},
    {"cuts",     "e",         "cuts-edit",           "type the cut (empty: no cut)"},
    {"cuts",     ">",         "cuts-nudge up",       "move the cut up one percentile"},
    {"cuts",     "<",         "cuts-nudge down",     "move the cut down one percentile"},
    {"cuts",     "Delete",    "cuts-clear",          "remove the cut"},
    {"cuts",     "x",         "cuts-clear",          "remove the cut"},
    {"cuts",     "o",         "cuts-optimise",       "optimise the box for 95% signal efficiency (training part)"},
    {"cuts",     "Click",     "cuts-click",          "on a histogram: move the nearer cut there"},
    {"cuts",     "WheelDown", "move down 3",         "scroll down"},
    {"cuts",     "WheelUp",   "move up 3",           "scroll up"},

    {"roc",      "Down",      "move down",           "next curve"},
    {"roc",      "j",         "move down",           "next curve"},
    {"roc",      "Up",        "move up",             "previous curve"},
    {"roc",      "k",         "move up",             "previous curve"},
    {"roc",      "PgDn",      "move page-down",      "next page"},
    {"roc",      "PgUp",      "move page-up",        "previous page"},
    {"roc",      "Home",      "move top",            "first curve"},
    {"roc",      "g",         "move top",            "first curve"},
    {"roc",      "End",       "move bottom",         "last curve"},
    {"roc",      "G",         "move bottom",         "last curve"},
    {"roc",      "L",         "roc-log",             "rejection 1 - B, or the rejection factor 1/B on a log axis"},
    {"roc",      "p",         "roc-save",            "save the figure as ./hepscope-DATASET-roc.png"},

    {"train",    "Down",      "move down",           "next field"},
    {"train",    "j",         "move down",           "next field"},
    {"train",    "Up",        "move up",             "previous field"},
    {"train",    "k",         "move up",             "previous field"},
    {"train",    "PgDn",      "move page-down",      "last field"},
    {"train",    "PgUp",      "move page-up",        "first field"},
    {"train",    "Home",      "move top",            "first field"},
    {"train",    "g",         "move top",            "first field"},
    {"train",    "End",       "move bottom",         "last field"},
    {"train",    "G",         "move bottom",         "last field"},
    {"train",    "Enter",     "train-edit",          "type the field's value"},
    {"train",    "e",         "train-edit",          "type the field's value"},
    {"train",    "Right",     "train-cycle next",    "next choice (the method, a choice, a flag)"},
    {"train",    "l",         "train-cycle next",    "next choice (the method, a choice, a flag)"},
    {"train",    "Left",      "train-cycle previous", "previous choice"},
    {"train",    "h",         "train-cycle previous", "previous choice"},
    {"train",    "Space",     "train-toggle",        "turn the flag on or off (a choice: the next one)"},
    {"train",    "t",         "train-start",         "train the model (in the background); asks before replacing one"},
    {"train",    "Esc",       "train-stop",          "stop the training, keeping the best epoch"},
    {"train",    "}",         "train-page next",     "next page: summary, overtraining, groups"},
    {"train",    "{",         "train-page previous", "previous page"},
    {"train",    "p",         "train-save",          "save the page (./hepscope-MODEL-PAGE.png)"},
    {"train",    "WheelDown", "move down",           "scroll down"},
    {"train",    "WheelUp",   "move up",             "scroll up"},

    {"proj",     "Left",      "move left",           "move the cursor (the map follows it)"},
    {"proj",     "h",         "move left",           "move the cursor (the map follows it)"},
    {"proj",     "Right",     "move right",          "move the cursor (the map follows it)"},
    {"proj",     "l",         "move right",          "move the cursor (the map follows it)"},
    {"proj",     "Up",        "move up",             "move the cursor (the map follows it)"},
    {"proj",     "k",         "move up",             "move the cursor (the map follows it)"},
    {"proj",     "Down",      "move down",           "move the cursor (the map follows it)"},
    {"proj",     "j",         "move down",           "move the cursor (the map follows it)"},
    {"proj",     "PgUp",      "move page-up",        "move the cursor ten steps up"},
    {"proj",     "PgDn",      "move page-down",      "move the cursor ten steps down"},
    {"proj",     "+",         "proj-zoom in",        "zoom in about the cursor"},
    {"proj",     "=",         "proj-zoom in",        "zoom in about the cursor"},
    {"proj",     "-",         "proj-zoom out",       "zoom out"},
    {"proj",     "Home",      "proj-zoom all",       "the whole map"},
    {"proj",     "g",         "proj-zoom all",       "the whole map"},
    {"proj",     "G",         "move bottom",         "the whole map"},
    {"proj",     "c",         "proj-color next",     "colour by the next of label, group, clusterings, model scores"},
    {"proj",     "}",         "proj-show next",      "next projection of the dataset"},
    {"proj",     "{",         "proj-show previous",  "previous projection"},
    {"proj",     "Space",     "proj-mark",           "mark a corner of the box; the second selects its events"},
    {"proj",     "Click",     "proj-click",          "mark a corner of the box where clicked"},
    {"proj",     "x",         "proj-clear",          "drop the box and its selection"},
    {"proj",     "Delete",    "proj-clear",          "drop the box and its selection"},
    {"proj",     "C",         "prompt proj-cutset",  "save the box as a cut set: type its name"},
    {"proj",     "P",         "proj-compute pca",    "compute a PCA map (in the background)"},
    {"proj",     "T",         "proj-compute tsne",   "compute a t-SNE map (in the background)"},
    {"proj",     "U",         "proj-compute umap",   "compute a UMAP map (in the background)"},
    {"proj",     "Esc",       "proj-stop",           "cancel the computation (the map shown stays)"},
    {"proj",     "s",         "proj-save",           "save the figure as ./hepscope-DATASET-NAME.png"},
    {"proj",     "p",         "proj-save",           "save the figure as ./hepscope-DATASET-NAME.png"},
    {"proj",     "w",         "prompt where",        "select events: type :where EXPR (alone: all)"},
    {"clust",    "Down",      "move down",           "next K"},
    {"clust",    "j",         "move down",           "next K"},
    {"clust",    "Up",        "move up",             "previous K"},
    {"clust",    "k",         "move up",             "previous K"},
    {"clust",    "PgDn",      "move page-down",      "K one page down"},
    {"clust",    "PgUp",      "move page-up",        "K one page up"},
    {"clust",    "Home",      "move top",            "first K"},
    {"clust",    "g",         "move top",            "first K"},
    {"clust",    "End",       "move bottom",         "last K"},
    {"clust",    "G",         "move bottom",         "last K"},
    {"clust",    "f",         "clust-fit",           "fit every K of the range (in the background); the best K is stored (GMM: lowest BIC, k-means: highest silhouette)"},
    {"clust",    "Enter",     "clust-fit",           "fit every K of the range (in the background); the best K is stored (GMM: lowest BIC, k-means: highest silhouette)"},
    {"clust",    "Esc",       "clust-stop",          "cancel the fit: the last result stays"},
    {"clust",    "m",         "clust-method",        "method: Gaussian mixture or k-means"},
    {"clust",    "c",         "clust-covariance",    "the mixture's covariance: full or diagonal"},
    {"clust",    "+",         "clust-range more",    "one K more"},
    {"clust",    "-",         "clust-range fewer",   "one K fewer"},
    {"clust",    "r",         "prompt clust-range",  "type the range of K: A..B"},
    {"clust",    "n",         "prompt clust-name",   "type the column's name"},
    {"clust",    "a",         "clust-store",         "store the K under the cursor as the column"},
    {"clust",    "p",         "clust-save",          "save the figure as ./hepscope-DATASET-NAME-clusters.png"},
    {"clust",    "s",         "clust-save",          "save the figure as ./hepscope-DATASET-NAME-clusters.png"},

    {"overlay",  "Down",      "move down",           "scroll down"},
    {"overlay",  "j",         "move down",           "scroll down"},
    {"overlay",  "WheelDown", "move down 3",         "scroll down"},
    {"overlay",  "Up",        "move up",             "scroll up"},
    {"overlay",  "k",         "move up",             "scroll up"},
    {"overlay",  "WheelUp",   "move up 3",           "scroll up"},
    {"overlay",  "PgDn",      "move page-down",      "next page"},
    {"overlay",  "C-f",       "move page-down",      "next page"},
    {"overlay",  "C-b",       "move page-up",        "previous page"},
    {"overlay",  "PgUp",      "move page-up",        "previous page"},
    {"overlay",  "Home",      "move top",            "top"},
    {"overlay",  "g",         "move top",            "top"},
    {"overlay",  "End",       "move bottom",         "bottom"},
    {"overlay",  "G",         "move bottom",         "bottom"},
    {"overlay",  "Right",     "move right",          "scroll right"},
    {"overlay",  "l",         "move right",          "scroll right"},
    {"overlay",  "Left",      "move left",           "scroll left"},
    {"overlay",  "h",         "move left",           "scroll left"},
    {"overlay",  "Enter",     "close",               "close the window"},

    {NULL, NULL, NULL, NULL},
};

static const struct {
    const char *name;
    int code;
} key_names[] = {
    {"Space",     ' '},
    {"Esc",       HS_KEY_ESC},
    {"Tab",       '\t'},
    {"Enter",     HS_KEY_ENTER},
    {"BTab",      HS_KEY_FN + KEY_BTAB},
    {"Up",        HS_KEY_FN + KEY_UP},
    {"Down",      HS_KEY_FN + KEY_DOWN},
    {"Left",      HS_KEY_FN + KEY_LEFT},
    {"Right",     HS_KEY_FN + KEY_RIGHT},
    {"PgUp",      HS_KEY_FN + KEY_PPAGE},
    {"PgDn",      HS_KEY_FN + KEY_NPAGE},
    {"Home",      HS_KEY_FN + KEY_HOME},
    {"End",       HS_KEY_FN + KEY_END},
    {"Backspace", HS_KEY_FN + KEY_BACKSPACE},
    {"Delete",    HS_KEY_FN + KEY_DC},
    {"Insert",    HS_KEY_FN + KEY_IC},
    {"WheelUp",   HS_KEY_WHEEL_UP},
    {"WheelDown", HS_KEY_WHEEL_DOWN},
    {"Click",     HS_KEY_CLICK},
};
/* clang-format on */

#define NKEY_NAMES (sizeof key_names / sizeof key_names[0])

int
hs_key_parse(const char *name)
{
    size_t len;

    if (!name || !*name)
        return -1;
    len = strlen(name);
    if (len == 1)
        return name[0] > ' ' && name[0] < 0x7f ? name[0] : -1;
    for (size_t i = 0; i < NKEY_NAMES; i++)
        if (strcmp(name, key_names[i].name) == 0)
            return key_names[i].code;
    if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z') {
        int code = name[2] & 0x1f;
        /* C-i, C-m and C-[ are Tab, Enter and Esc: use those names. */
        return code == '\t' || code == HS_KEY_ENTER ? -1 : code;
    }
    if (name[0] == 'F' && len <= 3) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12 && name[1] != '0')
            return HS_KEY_FN + KEY_F(n);
    }
    return -1;
}

const char *
hs_key_name(int code, char buf[HS_KEY_NAME_MAX])
{
    for (size_t i = 0; i < NKEY_NAMES; i++)
        if (key_names[i].code == code) {
            snprintf(buf, HS_KEY_NAME_MAX, "%s", key_names[i].name);
            return buf;
        }
    if (code > ' ' && code < 0x7f)
        snprintf(buf, HS_KEY_NAME_MAX, "%c", code);
    else if (code > 0 && code < ' ')
        snprintf(buf, HS_KEY_NAME_MAX, "C-%c", code + 'a' - 1);
    else if (code >= HS_KEY_FN + KEY_F(1) && code <= HS_KEY_FN + KEY_F(12))
        snprintf(buf, HS_KEY_NAME_MAX, "F%d", code - HS_KEY_FN - KEY_F0);
    else
        snprintf(buf, HS_KEY_NAME_MAX, "key %#x", (unsigned)code);
    return buf;
}

static const struct hs_key_binding *
lookup_in(const struct hs_key_binding *table, const char *view, int code)
{
    for (const struct hs_key_binding *b = table; b->view; b++)
        if (strcmp(b->view, view) == 0 && hs_key_parse(b->key) == code)
            return b;
    return NULL;
}

const struct hs_key_binding *
hs_keys_lookup(const char *view, int code)
{
    const struct hs_key_binding *b = lookup_in(hs_key_table, view, code);

    return b ? b : lookup_in(hs_key_table, "global", code);
}

const char *
hs_keys_key_for(const char *view, const char *command)
{
    for (int pass = 0; pass < 2; pass++)
        for (const struct hs_key_binding *b = hs_key_table; b->view; b++)
            if (strcmp(b->view, pass ? "global" : view) == 0 && strcmp(b->command, command) == 0)
                return b->key;
    return NULL;
}

static bool
view_known(const char *view)
{
    for (const struct hs_key_view *v = hs_key_views; v->name; v++)
        if (strcmp(v->name, view) == 0)
            return true;
    return false;
}

static int
check_command(const struct hs_key_binding *b, struct hs_err *err)
{
    struct hs_err e;
    char **argv = NULL;
    int argc = 0, rc;

    hs_err_clear(&e);
    rc = hs_cmd_split(b->command, &argc, &argv, &e);
    if (rc != HS_OK)
        return hs_err_set(err, HS_EUSAGE, "key '%s' in view '%s': command '%s': %s", b->key,
                          b->view, b->command, e.msg);
    if (argc < 1 || !hs_cmd_lookup(argc, argv))
        rc = hs_err_set(err, HS_EUSAGE, "key '%s' in view '%s': unknown command '%s'", b->key,
                        b->view, argc < 1 ? "" : argv[0]);
    hs_cmd_words_free(argc, argv);
    return rc;
}

int
hs_keys_check_table(const struct hs_key_binding *table, struct hs_err *err)
{
    int rc;

    for (const struct hs_key_binding *b = table; b->view; b++) {
        int code = hs_key_parse(b->key);

        if (!view_known(b->view))
            return hs_err_set(err, HS_EUSAGE, "key '%s': unknown view '%s'",
                              b->key ? b->key : "", b->view);
        if (code < 0)
            return hs_err_set(err, HS_EUSAGE, "view '%s': unknown key name '%s'", b->view,
                              b->key ? b->key : "");
        if (!b->note || !*b->note)
            return hs_err_set(err, HS_EUSAGE, "key '%s' in view '%s' has no note", b->key,
                              b->view);
        if (!b->command || !*b->command)
            return hs_err_set(err, HS_EUSAGE, "key '%s' in view '%s' has no command", b->key,
                              b->view);
        if (lookup_in(table, b->view, code) != b)
            return hs_err_set(err, HS_EUSAGE, "key '%s' is bound twice in view '%s'", b->key,
                              b->view);
        if ((rc = check_command(b, err)) != HS_OK)
            return rc;
    }
    /* q must quit everywhere, and say so: users count on it. */
    for (const struct hs_key_view *v = hs_key_views; v->name; v++) {
        const struct hs_key_binding *b = lookup_in(table, v->name, 'q');
        if (!b)
            b = lookup_in(table, "global", 'q');
        if (!b || strcmp(b->command, "quit") != 0 || strcmp(b->note, "quit") != 0)
            return hs_err_set(err, HS_EUSAGE, "key 'q' does not quit in view '%s'", v->name);
    }
    /* A key bound everywhere means the same in every view: a view may
     * not give it another command (Esc alone: it leaves or stops what is
     * going on, which a view may say more precisely). */
    for (const struct hs_key_binding *b = table; b->view; b++) {
        const struct hs_key_binding *g;
        if (strcmp(b->view, "global") == 0 || strcmp(b->key, "Esc") == 0 ||
            !(g = lookup_in(table, "global", hs_key_parse(b->key))) ||
            strcmp(g->command, b->command) == 0)
            continue;
        return hs_err_set(err, HS_EUSAGE,
                          "key '%s' in view '%s' runs '%s', but everywhere else '%s'", b->key,
                          b->view, b->command, g->command);
    }
    return HS_OK;
}

int
hs_keys_check(struct hs_err *err)
{
    return hs_keys_check_table(hs_key_table, err);
}

/* Walk one view's bindings, joining the keys of consecutive-or-not entries
 * that share command and note: fn gets the joined key list and the note. */
static void
each_help_line(const char *view, void (*fn)(void *user, const char *keys, const char *note),
               void *user)
{
    size_t n = 0;

    for (const struct hs_key_binding *b = hs_key_table; b->view; b++)
        n++;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done)
        return;
    for (size_t i = 0; i < n; i++) {
        const struct hs_key_binding *b = &hs_key_table[i];
        char keys[256] = "";
        size_t len = 0;

        if (done[i] || strcmp(b->view, view) != 0)
            continue;
        for (size_t j = i; j < n; j++) {
            const struct hs_key_binding *o = &hs_key_table[j];
            if (done[j] || strcmp(o->view, view) != 0 || strcmp(o->command, b->command) != 0 ||
                strcmp(o->note, b->note) != 0)
                continue;
            done[j] = true;
            len += (size_t)snprintf(keys + len, len < sizeof keys ? sizeof keys - len : 0, "%s%s",
                                    len ? " " : "", o->key);
            if (len >= sizeof keys)
                len = sizeof keys - 1;
        }
        fn(user, keys, b->note);
    }
    free(done);
}

static void
widest(void *user, const char *keys, const char *note)
{
    int *w = user;
    int n = (int)strlen(keys);

    (void)note;
    if (n > *w)
        *w = n;
}

struct help_out {
    FILE *out;
    int keyw;
};

static void
help_line(void *user, const char *keys, const char *note)
{
    struct help_out *h = user;

    fprintf(h->out, "  %-*s  %s\n", h->keyw, keys, note);
}

bool
hs_keys_view_known(const char *view)
{
    return view && view_known(view);
}

void
hs_keys_write_help(FILE *out, const char *first)
{
    struct help_out h = {out, 0};
    const char *order[64];
    size_t n = 0;

    if (!hs_keys_view_known(first) || strcmp(first, "global") == 0)
        first = NULL;
    /* The view asked for, then what works everywhere, then the rest in
     * the table's order: '?' answers "what can I press here" first. */
    if (first)
        order[n++] = first;
    order[n++] = "global";
    for (const struct hs_key_view *v = hs_key_views; v->name && n < 64; v++)
        if (strcmp(v->name, "global") != 0 && (!first || strcmp(v->name, first) != 0))
            order[n++] = v->name;
    for (const struct hs_key_view *v = hs_key_views; v->name; v++)
        each_help_line(v->name, widest, &h.keyw);
    for (size_t i = 0; i < n; i++) {
        for (const struct hs_key_view *v = hs_key_views; v->name; v++)
            if (strcmp(v->name, order[i]) == 0)
                fprintf(out, "%s%s\n", i ? "\n" : "", v->title);
        each_help_line(order[i], help_line, &h);
    }
}

/* man(7) text: a backslash is \e, a minus \-, and a leading dot or quote
 * would start a request, so it is guarded by \&. */
static void
man_escape(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

static void
man_line(void *user, const char *keys, const char *note)
{
    FILE *out = user;

    fputs(".TP 18\n.B ", out);
    man_escape(out, keys);
    fputc('\n', out);
    man_escape(out, note);
    fputc('\n', out);
}

void
hs_keys_write_man(FILE *out)
{
    for (const struct hs_key_view *v = hs_key_views; v->name; v++) {
        fputs(".SS ", out);
        man_escape(out, v->title);
        fputc('\n', out);
        each_help_line(v->name, man_line, out);
    }
}
