#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 6239140899249395bb18ef0ef403cb9bcd871eea -- tests/test_describe.py tests/test_fields.py tests/test_schedule.py
git apply --verbose - <<'EOF_a4b0d794483b' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_describe.py b/tests/test_describe.py
index ab7e510..2c25e1d 100644
--- a/tests/test_describe.py
+++ b/tests/test_describe.py
@@ -42,6 +42,11 @@ def test_describe_method_matches_function():
     assert expr.describe() == describe(expr) == "At 00:00"
 
 
+def test_sunday_as_seven():
+    assert describe("0 10 * * 5-7") == "At 10:00, on Friday through Sunday"
+    assert describe("0 10 * * 7") == "At 10:00, on Sunday"
+
+
 def test_last_day_of_month():
     assert describe("0 23 L * *") == "At 23:00, on the last day of the month"
     assert describe("0 0 1,L * *") == (
diff --git a/tests/test_fields.py b/tests/test_fields.py
index fee5292..a0c5cf8 100644
--- a/tests/test_fields.py
+++ b/tests/test_fields.py
@@ -74,6 +74,13 @@ def test_step_on_day_of_month_wildcard_starts_at_first_day():
     assert values("*/10", DAY_OF_MONTH) == [1, 11, 21, 31]
 
 
+def test_day_of_week_accepts_seven():
+    for text in ("7", "5-7", "FRI-7", "0,7", "*/7"):
+        parse_field(text, DAY_OF_WEEK)
+    with pytest.raises(CronError, match="out of range"):
+        parse_field("8", DAY_OF_WEEK)
+
+
 def test_zero_step_is_rejected():
     with pytest.raises(CronError):
         parse_field("*/0", MINUTE)
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index 2fd6c4e..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -167,6 +167,17 @@ def test_day_of_month_or_day_of_week():
     assert CronExpression("0 0 1 * MON").matches(datetime(2024, 5, 6))
 
 
+def test_sunday_as_seven():
+    expr = CronExpression("0 10 * * 7")
+    assert expr.next_after(datetime(2024, 5, 10)) == datetime(2024, 5, 12, 10, 0)
+    weekend = CronExpression("0 10 * * 6-7")
+    assert weekend.next_times(datetime(2024, 5, 10), 3) == [
+        datetime(2024, 5, 11, 10, 0),
+        datetime(2024, 5, 12, 10, 0),
+        datetime(2024, 5, 18, 10, 0),
+    ]
+
+
 def test_stepped_days_of_month_start_on_the_first():
     expr = CronExpression("0 0 */10 * *")
     assert expr.next_times(datetime(2024, 1, 1, 12, 0), 4) == [
EOF_a4b0d794483b
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 6239140899249395bb18ef0ef403cb9bcd871eea -- tests/test_describe.py tests/test_fields.py tests/test_schedule.py
