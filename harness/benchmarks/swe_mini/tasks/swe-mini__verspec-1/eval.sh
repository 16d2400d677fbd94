#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 2d7106d74b8059e828896da1bbff3c8647c26cf5 -- tests/test_version.py
git apply --verbose - <<'EOF_3fc6153f4845' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_version.py b/tests/test_version.py
index 511b3c1..da667ad 100644
--- a/tests/test_version.py
+++ b/tests/test_version.py
@@ -69,6 +69,19 @@ def test_prerelease_precedes_release():
     assert Version.parse("1.0.0-1") < Version.parse("1.0.0-alpha")
 
 
+def test_semver_spec_precedence_example():
+    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
+               "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
+    shuffled = [ordered[i] for i in (5, 2, 7, 0, 4, 6, 1, 3)]
+    assert [str(v) for v in sorted(map(Version.parse, shuffled))] == ordered
+
+
+def test_numeric_prerelease_identifiers_compare_numerically():
+    assert Version.parse("1.0.0-rc.2") < Version.parse("1.0.0-rc.10")
+    assert Version.parse("2.0.0-9") < Version.parse("2.0.0-10")
+    assert Version.parse("1.0.0-alpha.100") > Version.parse("1.0.0-alpha.99")
+
+
 def test_build_metadata_ignored_in_comparison():
     a, b = Version.parse("1.0.0+a"), Version.parse("1.0.0+b")
     assert a == b and not a < b and not b < a
EOF_3fc6153f4845
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 2d7106d74b8059e828896da1bbff3c8647c26cf5 -- tests/test_version.py
