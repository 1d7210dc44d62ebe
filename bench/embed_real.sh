# bench/embed_real.sh: the real public dataset of bench/gmm.sh,
# bench/kmeans.sh and bench/pca.sh (sourced after bench/embed.sh): CMS
# Open Data's Z -> e e candidates of Run 2011A (18,885 events; CC-BY 4.0,
# "CMS Collaboration, CERN Open Data", see ../shared/data/cms/README.md),
# its numeric columns (not Run and Event, which number the events, nor
# the text columns type1 and type2): 18 features.  Both tools standardise
# them as usual (mean, sd divisor n).  REAL_CSV names another file.
REAL_CSV=${REAL_CSV:-$TOP/../shared/data/cms/cms_opendata_edu__Zee_Run2011A.csv}

# real_rows: the dataset as raw doubles, row-major, into $WORK/rows.bin
# (where embed_bench with N 0 reads them), REAL_N and REAL_DIM set, and
# REAL_NAME for the tables; false (with a note) without the file.
real_rows() {
    if [ ! -r "$REAL_CSV" ]; then
        echo " no $REAL_CSV: the real dataset is skipped"
        return 1
    fi
    read -r REAL_N REAL_DIM < <($PY - "$REAL_CSV" "$WORK/rows.bin" <<'PYEOF'
import sys
import numpy as np
path, out = sys.argv[1], sys.argv[2]
with open(path) as f:
    head = f.readline().strip().split(",")
    first = f.readline().strip().split(",")
def numeric(v):
    try:
        float(v)
        return True
    except ValueError:
        return False
keep = [i for i, c in enumerate(head) if c not in ("Run", "Event") and numeric(first[i])]
X = np.genfromtxt(path, delimiter=",", skip_header=1, usecols=keep)
X.astype(np.float64).tofile(out)
print(X.shape[0], X.shape[1])
PYEOF
)
    REAL_NAME="$(basename "$REAL_CSV" .csv | sed 's/^cms_opendata_edu__//') ($REAL_N x $REAL_DIM)"
    echo " real dataset: $REAL_NAME from $REAL_CSV"
}
