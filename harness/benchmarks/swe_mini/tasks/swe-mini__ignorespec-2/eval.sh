#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout aecc79536c8f7e334b9c0f61a95f4427a95739e2 -- tests/test_pattern.py
git apply --verbose - <<'EOF_86e02d3e827c' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_pattern.py b/tests/test_pattern.py
index e0bccb9..b60bed3 100644
--- a/tests/test_pattern.py
+++ b/tests/test_pattern.py
@@ -42,6 +42,13 @@ def test_unescaped_trailing_spaces_are_dropped():
     assert not pattern.match("notes.txt ")
 
 
+def test_escaped_trailing_space_is_kept():
+    pattern = parse_line("notes\\ ")
+    assert pattern.match("notes ")
+    assert not pattern.match("notes")
+    assert parse_line("a\\  ").match("a ")
+
+
 def test_directory_only_pattern():
     assert matches("logs/", "logs", is_dir=True)
     assert matches("logs/", "var/logs", is_dir=True)
EOF_86e02d3e827c
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout aecc79536c8f7e334b9c0f61a95f4427a95739e2 -- tests/test_pattern.py
