int q2o_domain_placeholder_(void); int q2o_domain_placeholder_(void) { return 0; }
