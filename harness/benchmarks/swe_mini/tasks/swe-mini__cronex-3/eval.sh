#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 8bd78d062edfe097c15d78dda2fc7546fe9baca2 -- tests/test_schedule.py
git apply --verbose - <<'EOF_e46904420e00' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index 0abb6bf..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -140,6 +140,22 @@ def test_weekly_monthly_and_yearly_macros():
         assert not CronExpression(macro).matches(datetime(2025, 2, 1, 0, 0))
 
 
+def test_rolls_over_into_next_year():
+    expr = CronExpression("0 0 1 JAN *")
+    assert expr.next_after(datetime(2024, 12, 5, 10, 0)) == datetime(2025, 1, 1, 0, 0)
+    expr = CronExpression("0 9 * 3 MON")
+    assert expr.next_after(datetime(2024, 11, 20)) == datetime(2025, 3, 3, 9, 0)
+
+
+def test_leap_day_in_a_later_year():
+    expr = CronExpression("0 0 29 2 *")
+    assert expr.next_times(datetime(2025, 3, 1), 2) == [
+        datetime(2028, 2, 29),
+        datetime(2032, 2, 29),
+    ]
+    assert expr.next_after(datetime(2096, 3, 1)) == datetime(2104, 2, 29)
+
+
 def test_day_of_month_or_day_of_week():
     expr = CronExpression("0 0 13 * FRI")
     assert expr.next_times(datetime(2024, 9, 21), 4) == [
EOF_e46904420e00
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 8bd78d062edfe097c15d78dda2fc7546fe9baca2 -- tests/test_schedule.py
