#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout d88809a2382f3f6588f657230eaafbc0aa569210 -- tests/test_spec.py
git apply --verbose - <<'EOF_fb0d3ff968b4' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_spec.py b/tests/test_spec.py
index 3dd909f..8ae58c4 100644
--- a/tests/test_spec.py
+++ b/tests/test_spec.py
@@ -35,6 +35,18 @@ def test_files_inside_ignored_directory_are_ignored():
     assert not spec.is_ignored("build")
 
 
+def test_cannot_reinclude_file_in_excluded_directory():
+    spec = IgnoreSpec.from_lines(["build/", "!build/keep.txt"])
+    assert spec.is_ignored("build/keep.txt")
+    assert spec.match("build/keep.txt").raw == "build/"
+
+
+def test_reincluding_directory_does_not_reinclude_its_files():
+    spec = IgnoreSpec.from_lines(["*", "!src/"])
+    assert not spec.is_ignored("src", is_dir=True)
+    assert spec.is_ignored("src/main.py")
+
+
 def test_reincluded_directory_with_anchored_star():
     spec = IgnoreSpec.from_lines(["/*", "!/src/"])
     assert spec.is_ignored("README.md")
EOF_fb0d3ff968b4
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout d88809a2382f3f6588f657230eaafbc0aa569210 -- tests/test_spec.py
