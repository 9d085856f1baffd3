/* Functions shared by every store implementation. */
#include "pnyx/store.h"

void pnyx_store_close(pnyx_store *s)
{
	if (s != NULL)
		s->ops->close(s);
}
