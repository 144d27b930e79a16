#include <cblas.h>

/* LAPACK's QR (libopenblas carries LAPACK; Debian's openblas headers declare only BLAS). */
void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork, int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
             const int *lwork, int *info);

/* OpenBLAS's own: stops its thread pool's idle threads (its fork handler calls it). A later
   threaded call would start them again; Tensorpad keeps OpenBLAS at one thread. */
int blas_thread_shutdown_(void);
