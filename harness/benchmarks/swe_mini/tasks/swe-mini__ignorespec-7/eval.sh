#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 3bd0e2c9e86a0baf77aff96fc7dae2e98d873272 -- tests/test_walk.py
git apply --verbose - <<'EOF_0076c44fc539' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_walk.py b/tests/test_walk.py
index 2676b9a..8fdc95d 100644
--- a/tests/test_walk.py
+++ b/tests/test_walk.py
@@ -51,3 +51,48 @@ def test_walk_extra_patterns_have_lowest_precedence(tmp_path):
 def test_walk_custom_ignore_file_name(tmp_path):
     make_tree(tmp_path, {".ignore": "*.md\n", ".gitignore": "*.c\n", "a.md": "", "a.c": ""})
     assert list(walk(tmp_path, ignore_file=".ignore")) == [".gitignore", ".ignore", "a.c"]
+
+
+def test_walk_nested_ignore_file_applies_below_its_directory(tmp_path):
+    make_tree(
+        tmp_path,
+        {
+            "docs/.gitignore": "*.html\n",
+            "docs/index.html": "",
+            "docs/index.md": "",
+            "site/index.html": "",
+        },
+    )
+    assert list(walk(tmp_path)) == ["docs/.gitignore", "docs/index.md", "site/index.html"]
+
+
+def test_walk_nested_anchored_patterns_are_relative_to_their_directory(tmp_path):
+    make_tree(
+        tmp_path,
+        {
+            "pkg/.gitignore": "/gen/\nsub/*.out\n",
+            "pkg/gen/a.py": "",
+            "pkg/lib/gen/b.py": "",
+            "pkg/sub/x.out": "",
+            "gen/c.py": "",
+        },
+    )
+    assert list(walk(tmp_path)) == [
+        "gen/c.py",
+        "pkg/.gitignore",
+        "pkg/lib/gen/b.py",
+    ]
+
+
+def test_walk_deeper_ignore_file_overrides_shallower(tmp_path):
+    make_tree(
+        tmp_path,
+        {
+            ".gitignore": "*.log\n",
+            "app.log": "",
+            "logs/.gitignore": "!*.log\nold.log\n",
+            "logs/new.log": "",
+            "logs/old.log": "",
+        },
+    )
+    assert list(walk(tmp_path)) == [".gitignore", "logs/.gitignore", "logs/new.log"]
EOF_0076c44fc539
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 3bd0e2c9e86a0baf77aff96fc7dae2e98d873272 -- tests/test_walk.py
