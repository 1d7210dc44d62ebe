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

/* What goes in the file: a column of the table, or a derived feature. */
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
    for (size_t j = 0; j < t->ncols; j++)
        if (!t->cols[j].synthetic)
            oc[n++] = (struct out_col){t->cols[j].name, &t->cols[j], t->cols[j].v};
    for (size_t i = 0; fs && i < fs->n; i++) {
        if (!fs->f[i].expr || !fs->f[i].on)
            continue;
        if ((rc = hs_featureset_values(fs, i, &oc[n].v, &cmd->task, &cmd->err))) {
            free(oc);
            return rc;
        }
        oc[n].name = fs->f[i].name;
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

int
hs_export_csv(struct hs_cmd *cmd, const struct hs_table *t, struct hs_featureset *fs,
              const char *path)
{
    struct out_col *oc = NULL;
    size_t n = 0;
    char *tmp = NULL;
    FILE *fp = NULL;
    int rc, fd;

    if ((rc = collect(cmd, t, fs, &oc, &n)))
        return rc;
    if (strcmp(path, "-") == 0) {
        hs_cmd_output_begin(cmd);
        rc = write_rows(cmd, t, oc, n, cmd->out);
        free(oc);
        return rc;
    }
    {
        /* A device or a pipe (/dev/null, a FIFO) is written in place: a
         * rename would put a regular file where it stood. */
        struct stat st;
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            fp = fopen(path, "w");
            if (!fp) {
                free(oc);
                return io_error(cmd, path);
            }
            rc = write_rows(cmd, t, oc, n, fp);
            if (fclose(fp) != 0 && rc == HS_OK)
                rc = io_error(cmd, path);
            free(oc);
            return rc;
        }
    }

    /* A temporary file beside the target, renamed over it at the end: a
     * failure never leaves a half-written FILE. */
    tmp = malloc(strlen(path) + 16);
    if (!tmp) {
        free(oc);
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    }
    sprintf(tmp, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = io_error(cmd, path);
        goto out;
    }
    {
        /* mkstemp makes the file private; give it the usual mode. */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    fp = fdopen(fd, "w");
    if (!fp) {
        rc = io_error(cmd, path);
        close(fd);
        goto fail;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    rc = write_rows(cmd, t, oc, n, fp);
    if (rc == HS_OK && (ferror(fp) | fflush(fp)))
        rc = io_error(cmd, path);
    if (fclose(fp) != 0 && rc == HS_OK)
        rc = io_error(cmd, path);
    if (rc == HS_OK && rename(tmp, path) != 0)
        rc = io_error(cmd, path);
fail:
    if (rc)
        unlink(tmp);
out:
    free(tmp);
    free(oc);
    return rc;
}
