#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 791c14f304cd5b785f9739f37e5b930f3321a503 -- tests/test_constraints.py
git apply --verbose - <<'EOF_e6ff917c20b0' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index bbcc4ab..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -109,6 +109,23 @@ def test_include_prerelease_option():
         ["1.8.0", "1.9.0-rc.1", "2.0.0-alpha"]) == "1.9.0-rc.1"
 
 
+def test_hyphen_ranges():
+    versions = ["1.2.2", "1.2.3", "1.8.0", "2.3.4", "2.3.5"]
+    assert allowed("1.2.3 - 2.3.4", versions) == ["1.2.3", "1.8.0", "2.3.4"]
+    assert allowed("1.2.3 - 2.3.4 || 3.0.0", versions + ["3.0.0"]) == [
+        "1.2.3", "1.8.0", "2.3.4", "3.0.0"]
+    assert not Constraint("1.2.3 - 2.3.4").allows("2.3.4-rc.1")
+    with pytest.raises(InvalidConstraint):
+        Constraint(">=1.2.3 - 2.3.4")
+
+
+def test_hyphen_ranges_with_partial_versions():
+    versions = ["1.1.9", "1.2.0", "2.3.9", "2.4.0", "2.9.0", "3.0.0"]
+    assert allowed("1.2 - 2.3", versions) == ["1.2.0", "2.3.9"]
+    assert allowed("1.2 - 2", versions) == ["1.2.0", "2.3.9", "2.4.0", "2.9.0"]
+    assert allowed("* - 2.3.9", versions) == ["1.1.9", "1.2.0", "2.3.9"]
+
+
 def test_invalid_constraints():
     for text in ["", "   ", "^", ">=", "1.2.3.4", ">>1.0", "~>1.0", "1.0 ||", "<*", "!=1.2",
                  "^1.2 foo", ">=1.0.0-rc..1"]:
EOF_e6ff917c20b0
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 791c14f304cd5b785f9739f37e5b930f3321a503 -- tests/test_constraints.py
