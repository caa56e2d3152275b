/* icd10.h - the shape of an ICD-10 code as diagnoses carry it. Pure. */
#ifndef JIAYI_DOMAIN_ICD10_H
#define JIAYI_DOMAIN_ICD10_H

/* 1 when `code` is an upper-case letter, two digits, and optionally a dot followed by one to
 * four letters or digits (I10, E11.9, F20.001, O24.4); else 0. */
int icd10_valid(const char *code);

#endif
