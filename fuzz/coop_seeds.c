/*
 * Writes the seed corpus of fuzz_coop (valid and refused cooperation
 * leaves signed with its fixed keys) into the directory named on the
 * command line: `coop_seeds fuzz/corpus/coop`.
 */
#include <stdio.h>

int fuzz_coop_write_seeds(const char *dir);

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: coop_seeds DIR\n");
		return 2;
	}
	return fuzz_coop_write_seeds(argv[1]);
}
