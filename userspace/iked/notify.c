// SPDX-License-Identifier: GPL-2.0
/* Notify payloads of a parsed message: which there are, and their names. */
#include "ike.h"

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD: return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKE_N_INVALID_SYNTAX: return "INVALID_SYNTAX";
	case IKE_N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case IKE_N_INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
	case IKE_N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case IKE_N_TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
	case IKE_N_INTERNAL_ADDRESS_FAILURE: return "INTERNAL_ADDRESS_FAILURE";
	case IKE_N_FAILED_CP_REQUIRED: return "FAILED_CP_REQUIRED";
	case IKE_N_SINGLE_PAIR_REQUIRED: return "SINGLE_PAIR_REQUIRED";
	case IKE_N_TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
	case IKE_N_CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
	case IKE_N_NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
	default: return "an error";
	}
}

/* The first error notify of a message, 0 if none. */
uint16_t ike_error_notify(const struct ike_payload *pl, unsigned int n,
			     struct ike_notify *out)
{
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(&pl[i], &nt, &err) &&
		    nt.type < IKE_N_STATUS_MIN) {
			if (out)
				*out = nt;
			return nt.type;
		}
	return 0;
}

bool ike_has_notify(const struct ike_payload *pl, unsigned int n,
		       uint16_t type, struct ike_notify *out)
{
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(&pl[i], &nt, &err) &&
		    nt.type == type) {
			if (out)
				*out = nt;
			return true;
		}
	return false;
}

void ike_log_no_proposal(const struct ike_sa *sa, const char *what,
			    const struct ike_proposal *mine, unsigned int nmine,
			    const struct ike_proposal *theirs,
			    unsigned int ntheirs)
{
	char a[1024], b[1024];

	proposals_format(mine, nmine, a, sizeof(a));
	proposals_format(theirs, ntheirs, b, sizeof(b));
	ike_warn(sa, NULL, "NO_PROPOSAL_CHOSEN for %s: the peer proposed %s; we accept %s",
		what, b, a);
}
