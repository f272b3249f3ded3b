// CleanShift test sample
var box = '<div class="payment">' +
  '<input type="text" name="payment[cc_number]" value="">' + '</div>';
document.getElementById('payment-box').innerHTML = box;
