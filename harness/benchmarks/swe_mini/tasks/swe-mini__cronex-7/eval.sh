#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 66df6b0c6ef52c6b737ae9a620e006c75313cd16 -- tests/test_fields.py
git apply --verbose - <<'EOF_c29e14603bc0' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_fields.py b/tests/test_fields.py
index 467636d..a0c5cf8 100644
--- a/tests/test_fields.py
+++ b/tests/test_fields.py
@@ -81,6 +81,13 @@ def test_day_of_week_accepts_seven():
         parse_field("8", DAY_OF_WEEK)
 
 
+def test_zero_step_is_rejected():
+    with pytest.raises(CronError):
+        parse_field("*/0", MINUTE)
+    with pytest.raises(CronError):
+        parse_field("1-10/0", HOUR)
+
+
 def test_last_day_token_is_only_allowed_in_day_of_month():
     for text in ("L", "l", "1,15,L"):
         parse_field(text, DAY_OF_MONTH)
EOF_c29e14603bc0
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 66df6b0c6ef52c6b737ae9a620e006c75313cd16 -- tests/test_fields.py
