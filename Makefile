# Thin wrappers around scripts/ (they do the work and install what is missing).
.PHONY: run test bench bed-up bed-down bed-status deps

run:
	scripts/run $(ARGS)

test:
	scripts/test

bench:
	scripts/bench

bed-up:
	Tests/Bed/bed up

bed-down:
	Tests/Bed/bed down

bed-status:
	Tests/Bed/bed status

deps:
	scripts/deps test
