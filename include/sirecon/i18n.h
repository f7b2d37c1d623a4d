/*
 * i18n.h - labels of the workbook and messages in English and Vietnamese.
 * CSV and JSON field names are always English and do not come from here.
 */
#ifndef SIRECON_I18N_H
#define SIRECON_I18N_H

#include "sirecon/report.h"

/* The label for key (an English identifier such as "sheet.summary",
 * "status.NOT_ENROLLED", "reason.NO_SI_RECORD_AT_EMPLOYER", "col.full_name")
 * in language l; the key itself when unknown. */
const char *i18n(lang l, const char *key);
/* Language from the environment: LC_ALL, LC_MESSAGES, LANG ("vi*" -> vi). */
lang i18n_from_env(void);

#endif
