# qapi.mk - make rules that generate C from a QAPI schema with qapi-gen.
#
# Installed by qapi-c as $(pkgdatadir)/qapi.mk.  A project whose
# configure.ac calls QAPI_CHECK (qapi.m4) gets these rules in its
# Makefile by writing, on a line of its own in Makefile.am,
#
#   @QAPI_RULES@
#
# configure replaces that line with this file, as it is (GNU make is
# needed, for -include).  Set in Makefile.am:
#
#   QAPI_SCHEMA      the main schema file, e.g. $(srcdir)/foo.json
#   QAPI_OUTPUT_DIR  the build-tree directory the files are generated in,
#                    e.g. qapi-generated; one for these files alone
#   QAPI_GEN_FLAGS   more qapi-gen options, e.g. -p foo- (may be empty)
#   QAPI_OUTPUTS     the generated files the build uses, e.g.
#                    $(QAPI_OUTPUT_DIR)/qapi-types.c; automake must see
#                    them listed, so name them in (nodist_)..._SOURCES
#                    as $(QAPI_OUTPUTS) and in BUILT_SOURCES, so that
#                    generated headers exist before the first compile.
#                    "qapi-gen --list-outputs" prints them all.
#
# and add -I$(QAPI_OUTPUT_DIR) $(QAPI_CFLAGS) to the compile flags and
# $(QAPI_LIBS) to the libraries.  For "make clean", add
#
#   clean-local: qapi-clean
#
# The rules run qapi-gen once for all outputs, behind the stamp file
# $(QAPI_STAMP).  qapi-gen writes a dependency file naming every schema
# file read (--depfile); it is rewritten for the stamp as $(QAPI_DEPFILE)
# and included, so that editing any included schema file regenerates.
# qapi-gen rewrites only the outputs whose content changed, so only
# those are recompiled.  QAPI_GEN (the generator) comes from configure.

QAPI_STAMP = $(QAPI_OUTPUT_DIR)/qapi.stamp
QAPI_DEPFILE = $(QAPI_OUTPUT_DIR)/qapi.stamp.d

# An output that went missing (deleted by hand) is made again by running
# qapi-gen afresh; otherwise the outputs are as new as the stamp says.
$(QAPI_OUTPUTS): $(QAPI_STAMP)
	@test -f $@ || { rm -f $(QAPI_STAMP) && \
	    $(MAKE) $(AM_MAKEFLAGS) $(QAPI_STAMP); }

$(QAPI_STAMP): $(QAPI_SCHEMA)
	@$(MKDIR_P) $(QAPI_OUTPUT_DIR)
	$(AM_V_GEN)$(QAPI_GEN) $(QAPI_GEN_FLAGS) -o $(QAPI_OUTPUT_DIR) \
	    --depfile $(QAPI_OUTPUT_DIR)/qapi-gen.d $(QAPI_SCHEMA)
	@sed -e '1s|^.*:|$@:|' $(QAPI_OUTPUT_DIR)/qapi-gen.d \
	    >$(QAPI_DEPFILE)-t && mv -f $(QAPI_DEPFILE)-t $(QAPI_DEPFILE)
	@touch $@

-include $(QAPI_DEPFILE)

# Everything generated, whether listed in QAPI_OUTPUTS or not, and
# qapi-gen's own record of its last run (.SCHEMA.stamp).
qapi-clean:
	-test -z "$(QAPI_OUTPUT_DIR)" || { \
	    $(QAPI_GEN) $(QAPI_GEN_FLAGS) -o $(QAPI_OUTPUT_DIR) \
	        --list-outputs $(QAPI_SCHEMA) 2>/dev/null | \
	        while read f; do rm -f "$$f"; done; \
	    rm -f $(QAPI_OUTPUTS) $(QAPI_STAMP) $(QAPI_DEPFILE) \
	        $(QAPI_DEPFILE)-t $(QAPI_OUTPUT_DIR)/qapi-gen.d \
	        $(QAPI_OUTPUT_DIR)/.*.stamp; }
.PHONY: qapi-clean
