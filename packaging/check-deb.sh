#!/usr/bin/env bash
# CI check of the Debian package: build it with CPack from a configured and built tree, lint it,
# validate its desktop file and AppStream metainfo, install it with apt (so its dependencies
# resolve), run the installed programs, then remove it again.
#   packaging/check-deb.sh BUILD_DIR
# Debian 12 as root, no display; only Debian's apt mirror is needed. Every failing step is named;
# the exit status is 0 only when all passed.
set -uo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
    echo "usage: $0 BUILD_DIR   (a configured build tree with slopscope and slopscope-cli built)" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
[ -n "$src" ] || src=$(cd "$(dirname "$0")/.." && pwd)
app_id=io.github.slopscope.Slopscope
pkg=slopscope

say() { echo "check-deb: $*"; }
failures=()
fail() {
    say "FAIL: $*"
    failures+=("${1%%:*}")
}

if [ "$(id -u)" -ne 0 ]; then
    say "installing and removing the package needs root; run this as root (CI) or through sudo." >&2
    exit 2
fi

# The single source of the version: project(... VERSION x.y.z ...) in the top-level CMakeLists.txt.
version=$(awk '/^project\(/ { p = 1 } p && match($0, /VERSION [0-9]+\.[0-9]+\.[0-9]+/) {
    print substr($0, RSTART + 8, RLENGTH - 8); exit }' "$src/CMakeLists.txt")
if [ -z "$version" ]; then
    say "cannot read project(VERSION) from $src/CMakeLists.txt" >&2
    exit 2
fi
say "Slopscope $version, build tree $build"

# --- Tools, installed like bootstrap.sh does when missing. `file` is what CPack uses to find
# the ELF files it hands to dpkg-shlibdeps.
tools=(lintian desktop-file-utils appstream dpkg-dev file binutils)
missing=()
for p in "${tools[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
        say "FAIL: could not install ${missing[*]}" >&2
        exit 1
    fi
fi

# --- 1. The release metadata agrees with project(VERSION).
top=$(grep -m1 '^## ' "$src/CHANGELOG.md")
if [[ $top =~ ^##\ ([0-9]+\.[0-9]+\.[0-9]+)\ \(([^\)]*)\) ]]; then
    changelog_version=${BASH_REMATCH[1]}
    changelog_when=${BASH_REMATCH[2]}
    [ "$changelog_version" = "$version" ] ||
        fail "changelog: CHANGELOG.md's top release is $changelog_version, project(VERSION) is $version"
else
    changelog_when=
    fail "changelog: CHANGELOG.md's top heading \"$top\" is not \"## X.Y.Z (YYYY-MM-DD|unreleased)\""
fi

# --- 2. Build the package.
out=$build/packages-deb
rm -rf "$out"
mkdir -p "$out"
say "cpack -G DEB in $build"
if ! (cd "$build" && cpack -G DEB -B "$out"); then
    fail "cpack: cpack -G DEB failed in $build (are slopscope and slopscope-cli built?)"
fi
deb=$(find "$out" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
if [ -z "$deb" ]; then
    fail "cpack: no ${pkg}_*.deb in $out"
    printf 'check-deb: %d step(s) failed: %s\n' ${#failures[@]} "${failures[*]}"
    exit 1
fi
say "built $deb"
deb_version=$(dpkg-deb --field "$deb" Version)
[[ $deb_version == "$version"-* ]] || fail "deb-version: the package is $deb_version, expected $version-N"
depends=$(dpkg-deb --field "$deb" Depends)
say "Depends: $depends"
for dep in libqt6core6 libqt6widgets6 libqt6charts6 qt6-qpa-plugins libqt6sql6-sqlite; do
    [[ $depends =~ (^|[ ,])$dep([ ,]|$) ]] || fail "deb-depends: Depends lacks $dep"
done

# --- 3. lintian: errors fail, warnings are shown.
say "lintian $(basename "$deb")"
lintian_log=$(mktemp)
lintian --fail-on error --display-level '>=warning' --tag-display-limit 0 "$deb" 2>&1 | tee "$lintian_log"
lintian_rc=${PIPESTATUS[0]}
[ "$lintian_rc" -eq 0 ] || fail "lintian: errors (exit $lintian_rc), see above"
say "lintian: $(grep -c '^E: ' "$lintian_log") error(s), $(grep -c '^W: ' "$lintian_log") warning(s)"
rm -f "$lintian_log"

# --- 4. Install it; apt resolves the Qt dependencies from Debian's mirror.
installed=0
cleanup() {
    if [ "$installed" -eq 1 ]; then
        say "removing $pkg"
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$pkg" >/dev/null ||
            say "FAIL: apt-get remove -y $pkg failed; remove it by hand" >&2
    fi
    rm -rf "${home:-}" "${apt_log:-}"
}
trap cleanup EXIT
say "apt-get install -y $deb"
apt_log=$(mktemp)
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$apt_log" 2>&1; then
    installed=1
    grep -E '^(The following NEW packages|  |Setting up slopscope)' "$apt_log"
else
    cat "$apt_log"
    fail "install: apt-get install -y $deb failed"
    printf 'check-deb: %d step(s) failed: %s\n' ${#failures[@]} "${failures[*]}"
    exit 1
fi

# --- 5. The installed desktop integration.
desktop=/usr/share/applications/$app_id.desktop
metainfo=/usr/share/metainfo/$app_id.metainfo.xml
if [ -f "$desktop" ]; then
    if desktop-file-validate "$desktop"; then
        say "ok: desktop-file-validate $desktop"
    else
        fail "desktop: desktop-file-validate $desktop reports errors"
    fi
    # Every interface language has its launcher entry translated too.
    for ts in "$src"/translations/slopscope_*.ts; do
        lang=$(basename "$ts" .ts)
        lang=${lang#slopscope_}
        if grep -q "^Comment\[$lang\]=" "$desktop" && grep -q "^GenericName\[$lang\]=" "$desktop"; then
            say "ok: desktop entry translated to $lang"
        else
            fail "desktop: no Comment[$lang]/GenericName[$lang] in $desktop"
        fi
    done
else
    fail "desktop: $desktop is not installed"
fi
if [ -f "$metainfo" ]; then
    if appstreamcli validate --no-net "$metainfo"; then
        say "ok: appstreamcli validate --no-net $metainfo"
    else
        fail "metainfo: appstreamcli validate --no-net $metainfo reports problems"
    fi
    release=$(grep -o '<release [^>]*>' "$metainfo" | head -n 1)
    [[ $release == *"version=\"$version\""* ]] ||
        fail "metainfo: the top release ($release) does not carry version $version"
    if [[ $changelog_when =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
        [[ $release == *"date=\"$changelog_when\""* ]] ||
            fail "metainfo: the top release ($release) is not dated $changelog_when like CHANGELOG.md"
    fi
else
    fail "metainfo: $metainfo is not installed"
fi
for size in 16 32 48 64 128 256; do
    [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png" ] || fail "icons: no ${size}x${size} icon"
done
[ -f "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" ] || fail "icons: no scalable icon"
[ -f /usr/share/man/man1/slopscope-cli.1.gz ] || fail "man: /usr/share/man/man1/slopscope-cli.1.gz is not installed"
for doc in THIRD_PARTY_NOTICES.md LICENSE copyright; do
    [ -s "/usr/share/doc/$pkg/$doc" ] || fail "docs: /usr/share/doc/$pkg/$doc is missing"
done

# --- 6. The installed programs, in a throw-away home so no history or settings stay behind.
home=$(mktemp -d)
run_installed() {
    env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
        XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run" "$@"
}
mkdir -m 700 "$home/run"

cli_version=$(run_installed timeout 60 /usr/bin/slopscope-cli --version)
rc=$?
say "/usr/bin/slopscope-cli --version: $cli_version"
if [ $rc -ne 0 ] || [ "$cli_version" != "slopscope-cli $version" ]; then
    fail "cli-version: /usr/bin/slopscope-cli --version printed \"$cli_version\" (exit $rc), expected \"slopscope-cli $version\""
fi

gui_version=$(run_installed QT_QPA_PLATFORM=offscreen timeout 60 /usr/bin/slopscope --version)
rc=$?
say "/usr/bin/slopscope --version: $gui_version"
if [ $rc -ne 0 ] || [[ $gui_version != *" $version" ]]; then
    fail "gui-version: /usr/bin/slopscope --version printed \"$gui_version\" (exit $rc), expected it to end in $version"
fi

say "/usr/bin/slopscope-cli run --demo --suite facts"
run_installed timeout 600 /usr/bin/slopscope-cli run --demo --suite facts
rc=$?
[ $rc -eq 0 ] || fail "cli-demo: /usr/bin/slopscope-cli run --demo --suite facts exited $rc"

say "QT_QPA_PLATFORM=offscreen /usr/bin/slopscope --self-test"
run_installed QT_QPA_PLATFORM=offscreen timeout 300 /usr/bin/slopscope --self-test
rc=$?
[ $rc -eq 0 ] || fail "gui-self-test: QT_QPA_PLATFORM=offscreen /usr/bin/slopscope --self-test exited $rc"

# --- 7. Remove it, and check that it is gone.
say "apt-get remove -y $pkg"
if DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$pkg" >"$apt_log" 2>&1; then
    installed=0
    grep -E '^Removing slopscope' "$apt_log"
    if [ -e /usr/bin/slopscope ] || [ -e /usr/bin/slopscope-cli ]; then
        fail "remove: /usr/bin/slopscope or /usr/bin/slopscope-cli is still there"
    fi
else
    cat "$apt_log"
    fail "remove: apt-get remove -y $pkg failed"
fi

if [ ${#failures[@]} -gt 0 ]; then
    printf 'check-deb: %d step(s) failed: %s\n' ${#failures[@]} "${failures[*]}"
    exit 1
fi
say "all checks passed for $(basename "$deb")"
