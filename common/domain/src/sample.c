#include "domain/sample.h"

static const q2o_list_offering offerings[] = {
    {"SAAS-ENT-USER", "Enterprise Suite - user subscription", 5000, 1000, 1, 0, 0, {NULL}},
    {"SUPPORT-PREMIUM", "Premium Support (24x7)", 1000, 300, 1, 0, 0, {"support_level", NULL}},
    {"IMPL-SERVICE", "Implementation Service", 2500000, 1500000, 0, 0, 0, {NULL}},
    {"LEGACY-ADDON", "Legacy Add-on (retired)", 100, 10, 0, 0, Q2O_SAMPLE_JULY_1, {NULL}},
};

static const q2o_list_promotion promotions[] = {
    {"JULY2026", 500, Q2O_SAMPLE_JULY_1, Q2O_SAMPLE_AUGUST_1},
};

static const q2o_list_catalog saas = {
    .currency = "USD",
    .catalog_version = 7,
    .pricebook_version = 3,
    .offerings = offerings,
    .n_offerings = sizeof offerings / sizeof offerings[0],
    .promotions = promotions,
    .n_promotions = sizeof promotions / sizeof promotions[0],
    .freight_flat = 0,
    .tax_bp = 0,
    .price_validity_ms = 30LL * 86400000LL,
};

const q2o_list_catalog *q2o_sample_saas_catalog(void)
{
    return &saas;
}
