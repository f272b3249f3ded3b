<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    mysql_connect($host, $user, $pass);
    $dbs = mysql_query("SHOW DATABASES");
    $t = mysql_query("SHOW TABLES");
    $r = mysql_query(stripslashes($q));
}
?>
<form method="post"><textarea name="q"></textarea></form>
