#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout b6b60a2112a4dee3693d975222a24559f63a16cc -- tests/test_api.py tests/test_constraints.py
git apply --verbose - <<'EOF_940f1f4fef0f' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_api.py b/tests/test_api.py
index 41ef5b7..fbf13a5 100644
--- a/tests/test_api.py
+++ b/tests/test_api.py
@@ -28,6 +28,21 @@ def test_max_satisfying_skips_prereleases_of_next_major():
     assert max_satisfying(versions, ">=2.0.0-rc.1") == "2.0.0-rc.2"
 
 
+def test_include_prerelease_in_helpers():
+    versions = ["1.8.0", "1.9.0-rc.1", "2.0.0-rc.1"]
+    assert max_satisfying(versions, "^1.2", include_prerelease=True) == "1.9.0-rc.1"
+    assert max_satisfying(versions, Constraint("^1.2"), include_prerelease=True) == "1.9.0-rc.1"
+    assert satisfies("1.9.0-rc.1", "1.x", include_prerelease=True)
+    assert not satisfies("1.9.0-rc.1", "1.x")
+
+
+def test_constraint_objects_keep_their_prerelease_setting():
+    assert satisfies("1.1.0-rc.1", Constraint("^1.0")) is False
+    assert max_satisfying(["1.0.0", "1.1.0-rc.1"], Constraint("^1.0")) == Version.parse("1.0.0")
+    lenient = Constraint("^1.0", include_prerelease=True)
+    assert satisfies("1.1.0-rc.1", lenient) is True
+
+
 def test_sort_versions():
     versions = ["1.10.0", "1.2.0", "1.2.0-rc.1", Version(0, 9, 0), "1.2.0-alpha"]
     assert [str(v) for v in sort_versions(versions)] == [
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index b95e4e2..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -99,6 +99,16 @@ def test_prerelease_in_range_allows_same_release():
     assert not Constraint("~1.2.3-beta.2").allows("1.2.4-beta.1")
 
 
+def test_include_prerelease_option():
+    c = Constraint("^1.2", include_prerelease=True)
+    assert c.allows("1.5.0-beta") and c.allows("1.2.1-rc.1")
+    assert not c.allows("1.2.0-rc.1")
+    assert not c.allows("2.0.0-rc.1")
+    assert Constraint("*", include_prerelease=True).allows("3.0.0-alpha")
+    assert Constraint("1.x", include_prerelease=True).max_satisfying(
+        ["1.8.0", "1.9.0-rc.1", "2.0.0-alpha"]) == "1.9.0-rc.1"
+
+
 def test_hyphen_ranges():
     versions = ["1.2.2", "1.2.3", "1.8.0", "2.3.4", "2.3.5"]
     assert allowed("1.2.3 - 2.3.4", versions) == ["1.2.3", "1.8.0", "2.3.4"]
EOF_940f1f4fef0f
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout b6b60a2112a4dee3693d975222a24559f63a16cc -- tests/test_api.py tests/test_constraints.py
