#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 2b968149883ba862e3b5d1f912ffec86804a7578 -- tests/test_schedule.py
git apply --verbose - <<'EOF_3933be39d240' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index c7ee28a..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -124,6 +124,12 @@ def test_str_and_repr():
     assert repr(expr) == "CronExpression('0 9 * * 1')"
 
 
+def test_extra_whitespace_between_fields():
+    after = datetime(2024, 5, 10, 8, 0)
+    for text in ("0  9 * * *", "0\t9\t*\t*\t*", "  0 9 * * *\n", "0 9   *  *  *"):
+        assert CronExpression(text).next_after(after) == datetime(2024, 5, 10, 9, 0)
+
+
 def test_weekly_monthly_and_yearly_macros():
     after = datetime(2024, 5, 10, 13, 20)
     assert CronExpression("@weekly").next_after(after) == datetime(2024, 5, 12, 0, 0)
EOF_3933be39d240
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 2b968149883ba862e3b5d1f912ffec86804a7578 -- tests/test_schedule.py
