# sirecon - conventional Makefile.  `make help` lists the targets.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
PYTHON  ?= /usr/bin/python3

WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wpedantic \
           -Wno-unused-parameter
ifeq ($(CI),true)
WARN    += -Werror
endif
ifdef WERROR
WARN    += -Werror
endif
# The libraries found through pkg-config, as module:Debian-package, and the
# headers of the ones that have no .pc file.
PKG_DEBS := xlsxwriter:libxlsxwriter-dev libutf8proc:libutf8proc-dev \
            inih:libinih-dev zlib:zlib1g-dev nettle:nettle-dev \
            minizip:libminizip-dev expat:libexpat1-dev
HDR_DEBS := csv.h:libcsv-dev uthash.h:uthash-dev freexl.h:libfreexl-dev
PKGS     := $(foreach p,$(PKG_DEBS),$(firstword $(subst :, ,$(p))))
deb_of    = $(foreach p,$(2),$(if $(filter $(1):%,$(p)),$(lastword $(subst :, ,$(p)))))

# The flags are asked of pkg-config lazily, the first time a compile or link
# command needs them (so after `deps` has installed the packages), and once.
# A missing .pc module or header stops the build with the Debian package to
# install; clean, help and deps never ask.
PKG_MISSING = $(shell command -v pkg-config >/dev/null 2>&1 || { echo pkg-config; exit; }; \
                for m in $(PKGS); do pkg-config --exists $$m || echo $$m; done)
HDR_MISSING = $(shell for h in $(foreach p,$(HDR_DEBS),$(firstword $(subst :, ,$(p)))); do \
                printf '\043include <%s>\n' $$h | $(CC) -E -x c - >/dev/null 2>&1 || echo $$h; done)
debs_of   = $(strip $(foreach x,$(1),$(call deb_of,$(x),$(2))))
define pkg_check
$(eval _pm := $(PKG_MISSING))$(eval _hm := $(HDR_MISSING))
$(if $(filter pkg-config,$(_pm)),$(error pkg-config not found: install the Debian package pkg-config (make deps)))
$(if $(_pm),$(error pkg-config cannot find $(foreach m,$(_pm),$(m).pc); install the Debian package(s) $(call debs_of,$(_pm),$(PKG_DEBS)): run make deps (or apt-get install -y $(call debs_of,$(_pm),$(PKG_DEBS)))))
$(if $(_hm),$(error $(CC) cannot find $(foreach h,$(_hm),<$(h)>); install the Debian package(s) $(call debs_of,$(_hm),$(HDR_DEBS)): run make deps (or apt-get install -y $(call debs_of,$(_hm),$(HDR_DEBS)))))
endef
pkg_check_once = $(if $(_pkg_checked),,$(eval _pkg_checked := 1)$(pkg_check))
pkg_flags = $(strip $(pkg_check_once)$(shell pkg-config $(1) $(PKGS) || echo PKG-CONFIG-FAILED))
PKG_CF   = $(eval PKG_CF := $$(call pkg_flags,--cflags))$(if $(filter PKG-CONFIG-FAILED,$(PKG_CF)),$(error pkg-config --cflags $(PKGS) failed (see its message above)))$(PKG_CF)
PKG_LD   = $(eval PKG_LD := $$(call pkg_flags,--libs))$(if $(filter PKG-CONFIG-FAILED,$(PKG_LD)),$(error pkg-config --libs $(PKGS) failed (see its message above)))$(PKG_LD)
ALL_CF   = $(WARN) -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude $(PKG_CF) $(CFLAGS)
LIBS     = $(PKG_LD) -lcsv -lfreexl -lpthread -lm

SRCS     := $(sort $(wildcard src/*.c))
LIB_SRCS := $(SRCS)
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
CLI_OBJS := $(CLI_SRCS:src/%.c=$(BUILD)/obj/%.o)
OBJS     := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TOBJS    := $(LIB_SRCS:src/%.c=$(BUILD)/tobj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/sirecon

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps demo check check-only unit e2e explain formats xlsx-check print-check truth determinism safety manlint asan valgrind \
        fuzz bench bench-national bench-guard install uninstall clean help build-after-deps
.DEFAULT_GOAL := all

deps: ## check build/test packages, install missing ones (apt-get)
	@sh scripts/deps.sh

# The goals that build (BUILD_GOALS, or none: `all`) run `deps` first, then
# do their work, and any other goals named with them, in a second make
# (SIRECON_INNER=1), which asks pkg-config only once the packages are there:
# so each passes on its first run on a machine without them.
BUILD_GOALS := all demo check asan valgrind fuzz bench bench-national bench-guard install
GOALS       := $(or $(MAKECMDGOALS),all)
ifneq ($(if $(SIRECON_INNER),,$(filter $(BUILD_GOALS),$(GOALS))),)
$(filter-out deps,$(GOALS)): build-after-deps
	@:
build-after-deps: deps
	@$(MAKE) --no-print-directory SIRECON_INNER=1 $(filter-out deps,$(MAKECMDGOALS))
else
all: $(BIN)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CF) -MMD -MP -c -o $@ $<

$(BUILD)/tobj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (test)")
	$(Q)$(CC) $(ALL_CF) -DTESTING -DSIRECON_TEST_LIMITS -MMD -MP -c -o $@ $<

$(BUILD)/libsirecon.a: $(OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libsirecon-test.a: $(TOBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(BUILD)/libsirecon.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CF) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsirecon-test.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CF) -DTESTING $(LDFLAGS) -o $@ $< $(BUILD)/libsirecon-test.a $(LIBS) -lcmocka

-include $(OBJS:.o=.d) $(TOBJS:.o=.d) $(CLI_OBJS:.o=.d)

demo: $(BIN) ## reconcile the bundled sample and print where the report is
	@rm -rf $(BUILD)/demo
	@$(BIN) reconcile -t fixtures/sample/tax.csv -s fixtures/sample/si.csv \
	    -e fixtures/sample/employers.csv -o $(BUILD)/demo; rc=$$?; \
	 if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	 echo "demo: exit $$rc; report in $(BUILD)/demo/report.xlsx (also employers.csv, employees.csv, run.json)"

check: check-only ## build and run every test (unit, e2e, workbook, man page)

check-only: $(BIN) $(UNITS) unit e2e explain formats xlsx-check print-check truth determinism safety bench-guard manlint

unit: $(UNITS) ## cmocka unit tests
	@fail=0; for t in $(UNITS); do $$t || fail=1; done; exit $$fail

e2e: $(BIN) ## end-to-end goldens in tests/e2e
	@sh tests/e2e/run.sh $(BIN)

explain: $(BIN) ## explain goldens, and explain agrees with reconcile on generated scenarios
	@sh tests/explain/run.sh $(BIN)
	@sh tests/explain/consistency.sh $(BIN) $(PYTHON)

formats: $(BIN) ## the same data in every format and encoding gives the same result
	@sh tests/formats/run.sh $(BIN)

xlsx-check: $(BIN) ## the workbook read back by openpyxl
	@sh tests/xlsx/run.sh $(BIN) $(PYTHON)

print-check: $(BIN) ## the sample report printed to PDF (LibreOffice headless): pages, Summary, page setup
	@sh tests/print/run.sh $(BIN) $(PYTHON)

truth: $(BIN) ## generated scenarios scored against their ground truth
	@sh tests/truth/selftest.sh $(PYTHON) >/dev/null && echo "truth: generator/scorer self-test ok"
	@sh tests/truth/run.sh $(BIN)

determinism: $(BIN) ## shuffled, split, reordered inputs give identical outputs
	@sh tests/determinism/run.sh $(BIN) $(PYTHON)

safety: $(BIN) ## disk full, unwritable output, SIGKILL mid-write, permissions
	@sh tests/safety/run.sh $(BIN) $(PYTHON)

manlint: ## mandoc -Tlint on the man page
	@mandoc -Tlint -W warning man/sirecon.1 && echo "man: mandoc -Tlint clean"

asan: ## the whole suite under ASan+UBSan
	@$(MAKE) --no-print-directory BUILD=build/asan WERROR=1 GUARD_RSS=0 \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" check-only

valgrind: $(BIN) $(UNITS) ## unit tests and e2e under valgrind
	@fail=0; for t in $(UNITS); do SIRECON_VALGRIND=1 valgrind -q --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes $$t || fail=1; done; \
	 SIRECON_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes" sh tests/e2e/run.sh $(BIN) || fail=1; \
	 SIRECON_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes" sh tests/explain/run.sh $(BIN) || fail=1; exit $$fail

FUZZ_SECONDS ?= 20
FUZZ_CF  = -std=c11 -D_DEFAULT_SOURCE -Iinclude $(PKG_CF) -g -O1 -DTESTING \
           -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_SRCS := $(SRCS)
$(BUILD)/fuzz/%: fuzz/%.c $(LIB_SRCS) $(wildcard include/sirecon/*.h) $(wildcard src/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CF) -o $@ $< $(FUZZ_LIB_SRCS) $(LIBS)


FUZZERS := fuzz_table fuzz_values fuzz_xlsx fuzz_xls fuzz_htkk fuzz_stream
fuzz: $(FUZZERS:%=$(BUILD)/fuzz/%) ## libFuzzer on the readers and the normalizers (FUZZ_SECONDS each)
	@for f in $(FUZZERS); do \
	    c=$${f#fuzz_}; mkdir -p $(BUILD)/fuzz/corpus-$$c; \
	    $(BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -dict=fuzz/dict.txt \
	        -artifact_prefix=$(BUILD)/fuzz/$$f- \
	        -print_final_stats=0 $(BUILD)/fuzz/corpus-$$c fuzz/corpus/$$c 2>$(BUILD)/fuzz/$$f.log \
	      && echo "fuzz: $$f $(FUZZ_SECONDS)s, no crash ($$(grep -c . $(BUILD)/fuzz/$$f.log) log lines)" \
	      || { tail -40 $(BUILD)/fuzz/$$f.log; echo "fuzz: $$f FAILED"; exit 1; }; \
	done

N ?= 300000
bench: $(BIN) ## generated data of N tax rows: rows/s and peak RSS
	@sh bench/bench.sh $(BIN) $(N) $(PYTHON)

ROWS ?= 1000000
RUNS ?= 3
bench-national: $(BIN) ## one big file per side, rows in random order: vs DuckDB when ../shared/bench is there
	@PYTHON=$(PYTHON) sh bench/national.sh $(BIN) $(ROWS) $(RUNS)

GUARD_RSS ?= 740
bench-guard: $(BIN) ## bytes per record and peak RSS per row on a generated national-shape file, bounded
	@BOUND_RSS=$(GUARD_RSS) sh tests/bench/guard.sh $(BIN) $(PYTHON)

install: $(BIN) ## install binary and man page under DESTDIR/PREFIX
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/sirecon
	install -m 0644 man/sirecon.1 $(DESTDIR)$(MANDIR)/man1/sirecon.1

uninstall: ## remove what install put there
	rm -f $(DESTDIR)$(BINDIR)/sirecon $(DESTDIR)$(MANDIR)/man1/sirecon.1

clean: ## remove build/
	rm -rf build

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/' | expand -t 14
endif
