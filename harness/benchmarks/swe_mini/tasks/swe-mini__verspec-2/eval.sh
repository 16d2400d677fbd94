#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout b3d174b790f64617f8feacef9dd293c6394bcf9c -- tests/test_version.py
git apply --verbose - <<'EOF_0aafb0ad0187' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_version.py b/tests/test_version.py
index cf58ff8..da667ad 100644
--- a/tests/test_version.py
+++ b/tests/test_version.py
@@ -110,6 +110,13 @@ def test_bump_minor():
     assert str(Version.parse("1.3.0-rc.1").bump_minor()) == "1.3.0"
 
 
+def test_bump_minor_from_patch_prerelease():
+    v = Version.parse("1.2.3-rc.1")
+    assert str(v.bump_minor()) == "1.3.0"
+    assert v.bump_minor() > v
+    assert str(Version.parse("0.4.1-beta").bump_minor()) == "0.5.0"
+
+
 def test_bump_patch():
     assert str(Version.parse("1.2.3").bump_patch()) == "1.2.4"
     assert str(Version.parse("1.2.4-rc.1").bump_patch()) == "1.2.4"
EOF_0aafb0ad0187
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout b3d174b790f64617f8feacef9dd293c6394bcf9c -- tests/test_version.py
