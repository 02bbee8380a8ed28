# qapi.m4 - configure support for projects that generate C with qapi-c.
# Installed by qapi-c into $(datadir)/aclocal.               -*- Autoconf -*-
#
# serial 1
#
# Use in configure.ac (AM_INIT_AUTOMAKE and pkg.m4 needed):
#
#   QAPI_CHECK([0.1])
#
# and in Makefile.am, on a line of its own:
#
#   @QAPI_RULES@
#
# QAPI_CHECK([MIN-VERSION])
# -------------------------
# Checks for libqapi with pkg-config (qapi.pc; "qapi >= MIN-VERSION"
# when given), setting and substituting QAPI_CFLAGS and QAPI_LIBS, and
# for the qapi-gen generator, substituted as QAPI_GEN.  Fails if either
# is missing.
#
# QAPI_GEN, if set, is used as it is.  Otherwise the qapi-gen named by
# qapi.pc's "qapigen" variable is used if it is there (so generator and
# runtime match), else qapi-gen found on PATH.
#
# QAPI_RULES is substituted (AC_SUBST_FILE) with the make rules that run
# qapi-gen: the file QAPI_RULES_FILE names, by default the one named by
# qapi.pc's "qapirules" variable.  The rules are documented at the top
# of that file (qapi.mk).
#
# Paths read from qapi.pc get PKG_CONFIG_SYSROOT_DIR in front, unless
# pkg-config put it there already (pkgconf does, pkg-config does not),
# so that an installation staged with "make install DESTDIR=..." is
# found with
#   PKG_CONFIG_PATH=$DESTDIR$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DESTDIR
AC_DEFUN([QAPI_CHECK],
[AC_REQUIRE([PKG_PROG_PKG_CONFIG])dnl
AC_ARG_VAR([QAPI_GEN],
    [qapi-gen command (default: qapi.pc's qapigen, else from PATH)])dnl
AC_ARG_VAR([QAPI_RULES_FILE],
    [make rules that run qapi-gen (default: qapi.pc's qapirules)])dnl
PKG_CHECK_MODULES([QAPI], [qapi]m4_ifval([$1], [[ >= $1]]))
AS_IF([test -z "$QAPI_GEN"],
    [_QAPI_PC_PATH([qapi_pc_gen], [qapigen])
     AS_IF([test -n "$qapi_pc_gen" && test -f "$qapi_pc_gen" &&
            test -x "$qapi_pc_gen"], [QAPI_GEN=$qapi_pc_gen])])
AC_PATH_PROG([QAPI_GEN], [qapi-gen])
AS_IF([test -z "$QAPI_GEN"],
    [AC_MSG_ERROR([qapi-gen not found: set QAPI_GEN, or install qapi-c])])
AC_MSG_CHECKING([whether $QAPI_GEN runs])
AS_IF([$QAPI_GEN --version >&AS_MESSAGE_LOG_FD 2>&1],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([$QAPI_GEN --version failed (see config.log)])])
AC_MSG_CHECKING([for the qapi-gen make rules])
AS_IF([test -z "$QAPI_RULES_FILE"],
    [_QAPI_PC_PATH([QAPI_RULES_FILE], [qapirules])])
AS_IF([test -n "$QAPI_RULES_FILE" && test -f "$QAPI_RULES_FILE"],
    [AC_MSG_RESULT([$QAPI_RULES_FILE])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([qapi-gen's make rules (qapi.mk) not found at
'$QAPI_RULES_FILE': set QAPI_RULES_FILE])])
QAPI_RULES=$QAPI_RULES_FILE
AC_SUBST_FILE([QAPI_RULES])
dnl Keep automake from defining "QAPI_RULES = @QAPI_RULES@" in Makefile.in.
m4_ifdef([AM_SUBST_NOTMAKE], [AM_SUBST_NOTMAKE([QAPI_RULES])])dnl
])# QAPI_CHECK

# _QAPI_PC_PATH(SHELL-VARIABLE, QAPI.PC-VARIABLE)
# -----------------------------------------------
# Set SHELL-VARIABLE to the path in qapi.pc's variable, under
# PKG_CONFIG_SYSROOT_DIR if that is set.
AC_DEFUN([_QAPI_PC_PATH],
[$1=`$PKG_CONFIG --variable=$2 qapi 2>/dev/null`
AS_CASE([$$1],
    [/*], [AS_IF([test -n "$PKG_CONFIG_SYSROOT_DIR"],
               [AS_CASE([$$1],
                    ["$PKG_CONFIG_SYSROOT_DIR"/*], [],
                    [$1=$PKG_CONFIG_SYSROOT_DIR$$1])])])
])# _QAPI_PC_PATH
