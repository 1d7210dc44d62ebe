/* bytes.h: portable byte strings for stored models.
 *
 * Integers and IEEE-754 doubles go out little endian, byte by byte,
 * whatever the host's order, so that a model stored on one machine reads
 * back on any other.  The put functions write at p and return the byte
 * after; the get functions read at p (the caller has checked the length).
 * hs_bytes_fnv1a64 is the checksum stored models end with.
 */
#ifndef HS_BYTES_H
#define HS_BYTES_H

#include <stddef.h>
#include <stdint.h>

unsigned char *hs_bytes_put_u32(unsigned char *p, uint32_t v);
unsigned char *hs_bytes_put_u64(unsigned char *p, uint64_t v);
unsigned char *hs_bytes_put_f64(unsigned char *p, double d);
uint32_t hs_bytes_get_u32(const unsigned char *p);
uint64_t hs_bytes_get_u64(const unsigned char *p);
double hs_bytes_get_f64(const unsigned char *p);
/* n doubles v[0..n) out, and back into v. */
unsigned char *hs_bytes_put_f64s(unsigned char *p, const double *v, size_t n);
const unsigned char *hs_bytes_get_f64s(const unsigned char *p, double *v, size_t n);

/* FNV-1a 64 of p[0..n). */
uint64_t hs_bytes_fnv1a64(const unsigned char *p, size_t n);

#endif
