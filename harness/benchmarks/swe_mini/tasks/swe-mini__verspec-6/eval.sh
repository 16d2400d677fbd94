#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 164b273e1646cbc38160733d01cc58a30803f5f1 -- tests/test_constraints.py
git apply --verbose - <<'EOF_372439524b06' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index 3d9391a..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -49,6 +49,12 @@ def test_caret_ranges():
     assert allowed("^0", versions) == ["0.0.1", "0.1.0", "0.2.3", "0.2.9", "0.3.0"]
 
 
+def test_caret_zero_zero_patch_is_exact():
+    versions = ["0.0.2", "0.0.3", "0.0.3+build.1", "0.0.4", "0.0.9", "0.1.0"]
+    assert allowed("^0.0.3", versions) == ["0.0.3", "0.0.3+build.1"]
+    assert not Constraint("^0.0.1").allows("0.0.2")
+
+
 def test_tilde_ranges():
     versions = ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.0", "2.0.0"]
     assert allowed("~1.2.3", versions) == ["1.2.3", "1.2.9"]
EOF_372439524b06
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 164b273e1646cbc38160733d01cc58a30803f5f1 -- tests/test_constraints.py
