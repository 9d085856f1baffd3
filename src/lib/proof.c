/* placeholder: being written */
#include "pnyx/common.h"
