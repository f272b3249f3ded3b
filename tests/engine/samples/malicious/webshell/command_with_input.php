<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$c = isset($_POST['c']) ? 'id' : 'id';
echo shell_exec($c);
