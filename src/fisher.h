/* fisher.h: Fisher's linear discriminant (TMVA's "Fisher"), a method of
 * the method layer (src/method.h) and its model kind (src/model.h).
 *
 * The fit (src/fisher.c) takes the training rows' weighted class means
 * mu_s, mu_b and the pooled within-class covariance
 *   W = (S_s C_s + S_b C_b) / (S_s + S_b),
 * S the class weight sums and C the maximum-likelihood class covariances,
 * optionally shrunk towards a multiple of the identity in standardised
 * units (`shrinkage`), and solves w = W^-1 (mu_s - mu_b) through a
 * pseudo-inverse that drops directions W cannot resolve (a column given
 * twice, nearly collinear ones).  The score is LDA's posterior probability
 * of signal, sigmoid(w.x + b) with b = -w.(mu_s + mu_b)/2 + log(S_s/S_b)
 * (`priors data`) or + 0 (`priors equal`): scikit-learn's
 * LinearDiscriminantAnalysis.predict_proba for unweighted data, and
 * monotonic in TMVA's Fisher output (the same ROC).  A missing input (NaN)
 * is replaced by its training mean, in the fit and in scoring.
 *
 * The stored form and the C export are in src/fisher_io.c.
 */
#ifndef HS_FISHER_H
#define HS_FISHER_H

#include <stddef.h>

#include "err.h"
#include "method.h"
#include "model.h"
#include "task.h"

extern const struct hs_method hs_method_fisher;
extern const struct hs_model_kind hs_model_kind_fisher;

/* A learned discriminant: the score of raw inputs x is
 * sigmoid(b + sum_i w[i] x[i]), a NaN x[i] taken as mean[i]. */
struct hs_fisher {
    size_t nin;
    double *w;    /* nin coefficients, per unit of each raw input */
    double b;     /* the offset */
    double *mean; /* nin training means over both classes (imputation) */
    double *sd;   /* nin pooled within-class standard deviations: w[i] sd[i] is
                     the standardised coefficient, how much input i matters */
};

/* A discriminant of nin inputs, all zero; new (hs_fisher_free), NULL when
 * out of memory. */
struct hs_fisher *hs_fisher_new(size_t nin);
void hs_fisher_free(struct hs_fisher *f);

/* Scores of n events from f->nin raw columns, into out (n).  Checks the
 * cancel flag every 64k events: HS_ECANCELLED then, out partly written. */
int hs_fisher_score(const struct hs_fisher *f, const double *const *x, size_t n, double *out,
                    const struct hs_task *task, struct hs_err *err);

/* 1 / (1 + e^-t) without overflow for any t. */
double hs_fisher_sigmoid(double t);

#endif
