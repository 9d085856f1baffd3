/* placeholder: commitments and implementation reports (being written) */
#include "engine_internal.h"

const action_spec engine_commitment_actions[] = {{NULL, 0, NULL, NULL, NULL}};
