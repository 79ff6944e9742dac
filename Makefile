# oxbpf: build, install and test libbpf.so.1.
#
#   make                 build build/libbpf.so.1.8.0 (+ links) and build/libbpf.pc
#   make install         install library, headers and pkg-config file
#                        (PREFIX, DESTDIR, LIBDIR, INCLUDEDIR as in libbpf)
#   make check           the test suite: cargo test, ABI checks, C tests on the kernel
#   make bench           speed and memory, as ratios against Debian's libbpf
#   make api-status      regenerate docs/api-status.md from the Rust sources
#   make deps            install the tools the tests need (apt)
#   make demo            build everything and run a small libbpf program on it

VERSION_MAJOR := 1
VERSION_MINOR := 8
VERSION_PATCH := 0
VERSION       := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

CC     ?= cc
CARGO  ?= cargo
PYTHON ?= python3

PREFIX ?= /usr
ifeq ($(shell uname -m),x86_64)
LIBSUBDIR := lib64
else
LIBSUBDIR := lib
endif
LIBDIR     ?= $(PREFIX)/$(LIBSUBDIR)
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

BUILD    := build
RUST_LIB := target/release/liboxbpf.a
SONAME   := libbpf.so.$(VERSION_MAJOR)
SOFILE   := $(BUILD)/libbpf.so.$(VERSION)
HEADERS  := libbpf.h bpf.h btf.h libbpf_common.h libbpf_legacy.h libbpf_version.h

# What the Rust runtime needs from the system; never libelf or libz.
RUST_SYSLIBS := -lgcc_s -lpthread -lm -ldl -lc

.PHONY: all cargo install uninstall check bench api-status deps demo clean

all: $(SOFILE) $(BUILD)/$(SONAME) $(BUILD)/libbpf.so $(BUILD)/libbpf.pc

# cargo decides what is stale; the shared object is relinked only when the
# static library changes. build.rs also regenerates include/bpf/*.h.
cargo:
	$(CARGO) build --release --lib

$(RUST_LIB): cargo
	@:

# A Rust cdylib would apply rustc's own version script and drop ours: link
# the staticlib into a shared object ourselves, with libbpf.map.
$(SOFILE): $(RUST_LIB) libbpf.map
	@mkdir -p $(BUILD)
	$(CC) -shared -o $@.tmp \
		-Wl,-soname,$(SONAME) \
		-Wl,--version-script=libbpf.map \
		-Wl,--gc-sections -Wl,--strip-debug -Wl,--no-undefined -Wl,-z,relro,-z,now \
		-Wl,--whole-archive $(RUST_LIB) -Wl,--no-whole-archive \
		$(RUST_SYSLIBS)
	@mv $@.tmp $@

$(BUILD)/$(SONAME): $(SOFILE)
	ln -sf libbpf.so.$(VERSION) $@

$(BUILD)/libbpf.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

PC_SUBST = sed -e "s|@PREFIX@|$(PREFIX)|" -e "s|@LIBDIR@|$(LIBDIR)|" \
	       -e "s|@INCLUDEDIR@|$(INCLUDEDIR)|" -e "s|@VERSION@|$(VERSION)|"

$(BUILD)/libbpf.pc: libbpf.pc.template Makefile
	@mkdir -p $(BUILD)
	$(PC_SUBST) $< > $@

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/bpf $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(SOFILE) $(DESTDIR)$(LIBDIR)/
	ln -sf libbpf.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libbpf.so
	install -m 0644 $(addprefix include/bpf/,$(HEADERS)) $(DESTDIR)$(INCLUDEDIR)/bpf/
	$(PC_SUBST) libbpf.pc.template > $(DESTDIR)$(PKGCONFIGDIR)/libbpf.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libbpf.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libbpf.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libbpf.so
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/bpf/,$(HEADERS)) $(DESTDIR)$(PKGCONFIGDIR)/libbpf.pc

deps:
	tools/install-deps.sh

check: deps all
	tests-c/run.sh

bench: deps all
	bench/run.sh

demo: deps all
	@mkdir -p $(BUILD)/examples
	$(CC) -Wall -Werror -Iinclude examples/demo.c -o $(BUILD)/examples/demo -L$(BUILD) -lbpf -ldl
	LD_LIBRARY_PATH=$(BUILD) $(BUILD)/examples/demo

api-status:
	$(PYTHON) tools/api-status.py > docs/api-status.md

clean:
	rm -rf $(BUILD) tests-c/build bench/build
	$(CARGO) clean
