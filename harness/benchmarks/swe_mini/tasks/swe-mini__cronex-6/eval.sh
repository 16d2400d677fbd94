#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout c2ed674ea0b68d9e4c44ecdd8122e9ea99fb970d -- tests/test_describe.py tests/test_fields.py tests/test_schedule.py
git apply --verbose - <<'EOF_d0e61548202d' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_describe.py b/tests/test_describe.py
index f7ffbe2..2c25e1d 100644
--- a/tests/test_describe.py
+++ b/tests/test_describe.py
@@ -45,3 +45,10 @@ def test_describe_method_matches_function():
 def test_sunday_as_seven():
     assert describe("0 10 * * 5-7") == "At 10:00, on Friday through Sunday"
     assert describe("0 10 * * 7") == "At 10:00, on Sunday"
+
+
+def test_last_day_of_month():
+    assert describe("0 23 L * *") == "At 23:00, on the last day of the month"
+    assert describe("0 0 1,L * *") == (
+        "At 00:00, on day 1 of the month and on the last day of the month"
+    )
diff --git a/tests/test_fields.py b/tests/test_fields.py
index 0fadf59..a0c5cf8 100644
--- a/tests/test_fields.py
+++ b/tests/test_fields.py
@@ -86,3 +86,11 @@ def test_zero_step_is_rejected():
         parse_field("*/0", MINUTE)
     with pytest.raises(CronError):
         parse_field("1-10/0", HOUR)
+
+
+def test_last_day_token_is_only_allowed_in_day_of_month():
+    for text in ("L", "l", "1,15,L"):
+        parse_field(text, DAY_OF_MONTH)
+    for spec in (MINUTE, HOUR, MONTH, DAY_OF_WEEK):
+        with pytest.raises(CronError):
+            parse_field("L", spec)
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index 9ad1ada..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -186,3 +186,20 @@ def test_stepped_days_of_month_start_on_the_first():
         datetime(2024, 1, 31),
         datetime(2024, 2, 1),
     ]
+
+
+def test_last_day_of_month():
+    expr = CronExpression("0 23 L * *")
+    assert expr.next_times(datetime(2024, 1, 15), 4) == [
+        datetime(2024, 1, 31, 23, 0),
+        datetime(2024, 2, 29, 23, 0),
+        datetime(2024, 3, 31, 23, 0),
+        datetime(2024, 4, 30, 23, 0),
+    ]
+    assert CronExpression("0 0 L 2 *").next_after(datetime(2023, 1, 1)) == datetime(2023, 2, 28)
+    twice = CronExpression("0 0 15,l * *")
+    assert twice.next_times(datetime(2024, 4, 1), 3) == [
+        datetime(2024, 4, 15),
+        datetime(2024, 4, 30),
+        datetime(2024, 5, 15),
+    ]
EOF_d0e61548202d
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout c2ed674ea0b68d9e4c44ecdd8122e9ea99fb970d -- tests/test_describe.py tests/test_fields.py tests/test_schedule.py
