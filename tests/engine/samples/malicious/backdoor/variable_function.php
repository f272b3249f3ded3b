<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$show = 'htmlspecialchars';
echo $show($_REQUEST['msg'] ?? 'cleanshift-test');
