/* bdt.h: gradient-boosted decision trees for binary classification, the
 * histogram method of LightGBM and XGBoost's `hist` (method "bdt").
 *
 * The model a fit learns is a struct hs_forest (forest.h): leaf values
 * with the learning rate applied add up, from the training part's prior
 * log-odds, to the raw score; the score is sigmoid(raw).  Its kind "bdt"
 * stores, scores, describes and exports it as C (src/bdt_io.c).
 */
#ifndef HS_BDT_H
#define HS_BDT_H

#include "method.h"
#include "model.h"

extern const struct hs_method hs_method_bdt;
extern const struct hs_model_kind hs_model_kind_bdt;

#endif
