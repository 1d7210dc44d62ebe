# wide-gen.awk: a wide CSV for tests/cli/wide.sh and bench/wide.sh:
#   awk -v P=150 -v N=100 [-v SEED=42] -f wide-gen.awk > wide.csv
# P particles, each a four-momentum pK_E,pK_px,pK_py,pK_pz (mass 0.1 to
# 4.1 GeV), then a 0/1 label alternating by event; N events; seeded.
BEGIN {
    srand(SEED ? SEED : 42);
    h = "";
    for (p = 0; p < P; p++)
        h = h sprintf("p%d_E,p%d_px,p%d_py,p%d_pz,", p, p, p, p);
    print h "label";
    for (i = 0; i < N; i++) {
        line = "";
        for (p = 0; p < P; p++) {
            px = rand() * 20 - 10;
            py = rand() * 20 - 10;
            pz = rand() * 40 - 20;
            m = 0.1 + p % 5;
            e = sqrt(px * px + py * py + pz * pz + m * m);
            line = line sprintf("%.4f,%.4f,%.4f,%.4f,", e, px, py, pz);
        }
        print line (i % 2);
    }
}
