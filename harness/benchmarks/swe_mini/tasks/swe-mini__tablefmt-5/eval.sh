#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 3143f6ba7c71620821427a8aa435bbf5e20ae9b3 -- tests/test_render.py
git apply --verbose - <<'EOF_acd300e5729c' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index 190f47f..fb88dca 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -23,6 +23,24 @@ def test_dict_rows_with_header_labels():
     assert out == "Name  age\nann    31"
 
 
+def test_dict_rows_with_different_keys():
+    rows = [{"name": "ann", "age": 31}, {"name": "bob", "email": "bob@example.com"}]
+    out = tabulate(rows, headers="keys", missingval="-")
+    assert out == "\n".join(
+        [
+            "name  age  email          ",
+            "----  ---  ---------------",
+            "ann    31  -              ",
+            "bob     -  bob@example.com",
+        ]
+    )
+
+
+def test_dict_rows_keys_first_seen_in_later_rows_are_kept():
+    out = tabulate([{"a": 1}, {"a": 2, "b": 3}], headers="keys", tablefmt="plain")
+    assert out == "a  b\n1   \n2  3"
+
+
 def test_floatfmt():
     out = tabulate([[3.14159], [2.5]], tablefmt="plain", floatfmt=".2f")
     assert out == "3.14\n2.50"
EOF_acd300e5729c
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 3143f6ba7c71620821427a8aa435bbf5e20ae9b3 -- tests/test_render.py
