#include "config.h"

#include "ui/export.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numparse.h"
#include "ui/grid.h"

/* What goes in the file: a column of the table, or a derived or learned feature. */
struct out_col {
    const char *name;
    const struct hs_column *col; /* NULL for a feature */
    const double *v;
};

static int
collect(struct hs_cmd *cmd, const struct hs_table *t, struct hs_featureset *fs,
        struct out_col **out, size_t *nout)
{
    size_t cap = t->ncols + (fs ? fs->n : 0) + 1, n = 0;
    struct out_col *oc = calloc(cap, sizeof *oc);
    int rc;

    if (!oc)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    for (size_t j = 0; j < t->ncols; j++) {
        if (t->cols[j].synthetic)
            continue;
        oc[n] = (struct out_col){t->cols[j].name, &t->cols[j], NULL};
        if ((rc = hs_table_values(t, j, &oc[n++].v, &cmd->task, &cmd->err))) {
            free(oc);
            return rc;
        }
    }
    /* Derived features that are on, then every learned column. */
    for (size_t i = 0; fs && i < 2 * fs->n; i++) {
        const struct hs_feature *f = &fs->f[i % fs->n];
        if (i < fs->n ? f->kind != HS_FEATURE_DERIVED || !f->on : f->kind != HS_FEATURE_LEARNED)
            continue;
        if ((rc = hs_featureset_values(fs, i % fs->n, &oc[n].v, &cmd->task, &cmd->err))) {
            free(oc);
            return rc;
        }
        oc[n].name = f->name;
        oc[n].col = NULL;
        n++;
    }
    *out = oc;
    *nout = n;
    return HS_OK;
}

static int
write_rows(struct hs_cmd *cmd, const struct hs_table *t, const struct out_col *oc, size_t n,
           FILE *fp)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', fp);
        hs_grid_csv_cell(fp, oc[k].name, false);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < t->nrows; i++) {
        if ((i & 0xffff) == 0) {
            if (hs_task_cancelled(&cmd->task))
                return hs_err_set(&cmd->err, HS_ECANCELLED, "cancelled");
            /* No progress line while the rows go to the terminal too. */
            if (fp != cmd->out)
                hs_task_progress(&cmd->task, (double)i / (double)t->nrows, "writing");
        }
        for (size_t k = 0; k < n; k++) {
            double x = oc[k].v[i];
            if (k)
                fputc(',', fp);
            if (isnan(x))
                continue; /* missing: an empty cell */
            if (oc[k].col && oc[k].col->kind == HS_COL_TEXT) {
                hs_grid_csv_cell(fp, hs_column_text(oc[k].col, x), false);
            } else {
                char buf[HS_NUM_BUF];
                fwrite(buf, 1, (size_t)hs_num_format(x, buf), fp);
            }
        }
        fputc('\n', fp);
    }
    return HS_OK;
}

static int
io_error(struct hs_cmd *cmd, const char *path)
{
    return hs_err_set(&cmd->err, HS_EIO, "cannot write '%s': %s", path, strerror(errno));
}

void
hs_file_name_part(char *out, size_t size, const char *name)
{
    size_t n = 0;

    for (const char *p = name; *p && n + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        out[n++] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'
                       ? (char)ch
                       : '_';
    }
    out[n] = '\0';
    if (out[0] == '.')
        out[0] = '_';
}

int
hs_out_open(struct hs_cmd *cmd, const char *path, struct hs_out_file *of)
{
    struct stat st;
    int fd;

    memset(of, 0, sizeof *of);
    of->path = path;
    if (strcmp(path, "-") == 0) {
        hs_cmd_output_begin(cmd);
        of->fp = cmd->out;
        of->is_stdout = true;
        return HS_OK;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        of->fp = fopen(path, "w");
        return of->fp ? HS_OK : io_error(cmd, path);
    }
    of->tmp = malloc(strlen(path) + 16);
    if (!of->tmp)
        return hs_cmd_nomem(cmd);
    sprintf(of->tmp, "%s.tmpXXXXXX", path);
    fd = mkstemp(of->tmp);
    if (fd < 0) {
        free(of->tmp);
        of->tmp = NULL;
        return io_error(cmd, path);
    }
    {
        /* mkstemp makes the file private; give it the usual mode. */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    of->fp = fdopen(fd, "w");
    if (!of->fp) {
        int rc = io_error(cmd, path);
        close(fd);
        unlink(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
        return rc;
    }
    setvbuf(of->fp, NULL, _IOFBF, 1 << 20);
    return HS_OK;
}

int
hs_out_close(struct hs_cmd *cmd, struct hs_out_file *of, int rc)
{
    if (!of->fp)
        return rc;
    if (of->is_stdout) {
        if (rc == HS_OK && fflush(of->fp) != 0)
            rc = io_error(cmd, "standard output");
        of->fp = NULL;
        return rc;
    }
    if (rc == HS_OK && (ferror(of->fp) | fflush(of->fp)))
        rc = io_error(cmd, of->path);
    if (fclose(of->fp) != 0 && rc == HS_OK)
        rc = io_error(cmd, of->path);
    of->fp = NULL;
    if (of->tmp) {
        if (rc == HS_OK && rename(of->tmp, of->path) != 0)
            rc = io_error(cmd, of->path);
        if (rc)
            unlink(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
    }
    return rc;
}

int
hs_export_csv(struct hs_cmd *cmd, const struct hs_table *t, struct hs_featureset *fs,
              const char *path)
{
    struct out_col *oc = NULL;
    struct hs_out_file of;
    size_t n = 0;
    int rc;

    if ((rc = collect(cmd, t, fs, &oc, &n)))
        return rc;
    if ((rc = hs_out_open(cmd, path, &of)) == HS_OK)
        rc = hs_out_close(cmd, &of, write_rows(cmd, t, oc, n, of.fp));
    free(oc);
    return rc;
}
