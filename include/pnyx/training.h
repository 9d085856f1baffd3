/*
 * pnyx/training.h — the notice of a training simulation. A forum created
 * with "training": true (forum.create; state forum.training) is a
 * simulation, like a Model UN: every view of it (the read API's "notice",
 * the web page, the CLI) shows this sentence, word for word, so that no
 * position in it is taken for a government's (docs/DEMO.md).
 */
#ifndef PNYX_TRAINING_H
#define PNYX_TRAINING_H

#define PNYX_TRAINING_NOTICE \
	"Training simulation (like a Model UN): the positions shown were " \
	"chosen at random and are not those of any government."

#endif
