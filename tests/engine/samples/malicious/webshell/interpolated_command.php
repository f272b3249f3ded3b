<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$cmd = 'id';
system("$cmd 2>&1");
?>
<form method="post"><input name="cmd"></form>
