// The crontab's human-readable translation under the crontab field (django-celery-beat's
// behaviour, moved out of an inline script for the Content-Security-Policy).
"use strict";
(function ($) {
  const readableCrontabs = JSON.parse($("#readable-crontabs").text());
  const help = $(".field-crontab .help");
  const originalCrontabHelp = help.text();
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    const translation = readableCrontabs[$("#id_crontab").val()] || "";
    help.text(originalCrontabHelp).append("<br>", document.createTextNode("Translation: " + translation));
  });
})(django.jQuery);
