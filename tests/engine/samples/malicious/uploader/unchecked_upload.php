<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    move_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']);
}
