# synthdata: PGXS build. `make && make install && make installcheck`.
# This file's folder, taken before PGXS's makefiles are read.
SYNTH_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
SYNTH_CXXFLAGS := $(shell cat $(SYNTH_DIR)mk/cxxflags)
EXTENSION = synthdata
MODULE_big = synthdata
DATA = $(wildcard synthdata--*.sql)
PGFILEDESC = "synthdata - synthetic training data for prompt-improvement pipelines"

ENGINE_SRCS = $(sort $(wildcard src/engine/*/*.cpp))
PG_SRCS = $(sort $(wildcard src/pg/*.cpp))
OBJS = $(ENGINE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# Adding a regression test is adding test/sql/NAME.sql and test/expected/NAME.out.
REGRESS = $(sort $(patsubst test/sql/%.sql,%,$(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test --load-extension=synthdata
ISOLATION = $(sort $(patsubst test/specs/%.spec,%,$(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=synthdata

PG_CONFIG ?= pg_config
PG_CPPFLAGS = -Isrc
# -MMD -MP: rebuild an object when a header it includes changes (PGXS does not
# track headers unless PostgreSQL itself was configured with --enable-depend).
PG_CXXFLAGS = -std=c++17 -fvisibility-inlines-hidden -MMD -MP
SHLIB_LINK = -lstdc++ -lm

# Warnings and code generation shared with CMake's build of the engine, unit
# tests and fuzzers (mk/cxxflags, one flag a line), so the engine the unit
# tests exercise is compiled as the shipped module compiles it.
# -Wshadow=compatible-local: PostgreSQL 16 and later add it to their own flags;
# asking for it on every server keeps 15 and 18 failing on the same code.
PG_CXXFLAGS += $(SYNTH_CXXFLAGS)
# `make WERROR=1` is how the test command builds: warnings are errors.
ifeq ($(WERROR),1)
PG_CXXFLAGS += -Werror
endif

# No LLVM bitcode: the JIT gains nothing from C++ set-returning functions.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)
EXTRA_CLEAN = $(OBJS:.o=.d)

# The engine never sees PostgreSQL: postgres.hpp #errors under this flag.
$(ENGINE_SRCS:.cpp=.o): CPPFLAGS += -DSYNTHDATA_PURE_ENGINE

.PHONY: unit bench fuzz dist beta-tables
unit:
	cmake -S . -B build/unit -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/unit -j2
	cd build/unit && ctest --output-on-failure

bench:
	bench/run

# A source tarball that builds with `make && make install` alone.
DIST_NAME = $(EXTENSION)-$(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
dist:
	git archive --format=tar.gz --prefix=$(DIST_NAME)/ -o $(DIST_NAME).tar.gz HEAD
	@echo "wrote $(DIST_NAME).tar.gz"

fuzz:
	FUZZ_GROW_CORPUS=1 FUZZ_SECONDS=$${FUZZ_SECONDS:-600} scripts/fuzz

# The score tables of the design table, from Boost.Math (tools/make_beta_tables.cpp);
# the unit tests check that the committed file is what this writes.
beta-tables:
	cmake -S . -B build/unit -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/unit --target make_beta_tables
	build/unit/make_beta_tables > src/engine/generate/beta_quantile_tables.cpp
