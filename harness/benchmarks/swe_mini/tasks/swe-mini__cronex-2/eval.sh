#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout e3f52c48304060d3b443443079e19d66fff8816a -- tests/test_schedule.py
git apply --verbose - <<'EOF_643288e93a37' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index fa0d574..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -156,6 +156,17 @@ def test_leap_day_in_a_later_year():
     assert expr.next_after(datetime(2096, 3, 1)) == datetime(2104, 2, 29)
 
 
+def test_day_of_month_or_day_of_week():
+    expr = CronExpression("0 0 13 * FRI")
+    assert expr.next_times(datetime(2024, 9, 21), 4) == [
+        datetime(2024, 9, 27),
+        datetime(2024, 10, 4),
+        datetime(2024, 10, 11),
+        datetime(2024, 10, 13),
+    ]
+    assert CronExpression("0 0 1 * MON").matches(datetime(2024, 5, 6))
+
+
 def test_sunday_as_seven():
     expr = CronExpression("0 10 * * 7")
     assert expr.next_after(datetime(2024, 5, 10)) == datetime(2024, 5, 12, 10, 0)
EOF_643288e93a37
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout e3f52c48304060d3b443443079e19d66fff8816a -- tests/test_schedule.py
