# The two commands that matter: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PRESET ?= debug

.PHONY: run test test-asan build deps lint format bench stop clean

run:            ## install what is missing, build, start infrastructure and every service
	@scripts/run-local

test:           ## install what is missing, build, start private infrastructure, run every suite
	@PRESET=$(PRESET) scripts/test

test-asan:      ## the same suites under AddressSanitizer + UndefinedBehaviorSanitizer
	@PRESET=asan scripts/test

build: deps
	@cmake --preset $(PRESET) >/dev/null && cmake --build --preset $(PRESET)

deps:
	@scripts/install-deps

lint:           ## clang-format and clang-tidy on files changed from main (ALL=1: every file)
	@scripts/lint

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

bench:          ## load runs with reference figures (see bench/README.md)
	@bench/run
	@bench/catalog
	@bench/tracing-cost
	@bench/purchase
	@bench/gateway

stop:           ## stop the local stack's infrastructure
	@scripts/infra down dev

clean:
	@rm -rf build
