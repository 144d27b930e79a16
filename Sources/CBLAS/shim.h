#include <cblas.h>

/* LAPACK's QR (libopenblas carries LAPACK; Debian's openblas headers declare only BLAS). */
void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork, int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
             const int *lwork, int *info);
