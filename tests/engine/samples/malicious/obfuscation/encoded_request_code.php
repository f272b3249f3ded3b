<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$blob = 'PD9waHAgZWNobyBodG1sc3BlY2lhbGNoYXJzKCRfUE9TVFsneCddKTsgPz4=';
echo strlen($blob);
