/// The record page's stylesheet and its one script, served by the binary under `/console/static/`.
/// Everything works without the script; it only keeps the scoresheet's totals live while typing.
enum ConsoleRecordAssets {
    static let css = """
        .toc{display:flex;gap:.4em 1em;flex-wrap:wrap;margin:.6em 0}
        .toc a{background:#e8f0ea;padding:.15em .7em;border-radius:3px;text-decoration:none;color:#1d2a22}
        .files{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
        figure.file{margin:0;background:#fff;border:1px solid #d5dfd7;border-radius:4px;padding:.5em;max-width:340px}
        figure.file figcaption{font-size:.9em;word-break:break-all}
        video.attachment{max-width:320px;max-height:240px;display:block}
        .lightbox{display:none;position:fixed;inset:0;background:rgba(0,0,0,.85);z-index:10;align-items:center;justify-content:center}
        .lightbox:target{display:flex}
        .lightbox img{max-width:95vw;max-height:92vh;background:#fff}
        .lightbox .close{position:absolute;top:.3em;right:.6em;color:#fff;font-size:2.2em;text-decoration:none}
        table.scoresheet input.points{width:6em}
        table.scoresheet tr.primary th{background:#dde9df}
        label.inline{display:inline;margin:0 .8em 0 .2em}
        .pass{color:#1e6b34;font-weight:bold}.fail{color:#8a1f11;font-weight:bold}
        .verdict{font-weight:bold}
        .verdict.stale{opacity:.6}
        button.secondary{background:#5b7263}
        .evidence{border-top:1px solid #e0e6e1;padding-top:.4em}
        h5{margin:.2em 0;font-size:1em}
        """

    /// Sums the points per primary and in all as they are typed (points outside an item's range count
    /// as 0, as the server counts them) and marks the verdict shown as computed before the change; the
    /// verdict itself is the server's, on 预览 or 保存.
    static let scoresheetScript = """
        (function () {
          'use strict';
          var form = document.getElementById('sheet');
          if (!form) { return; }
          var minTotal = parseFloat(form.getAttribute('data-min-total'));
          var minShare = parseFloat(form.getAttribute('data-min-share'));
          function fmt(x) { return String(Math.round(x * 100) / 100); }
          function update() {
            var sums = {};
            var total = 0;
            var inputs = form.querySelectorAll('input.points');
            for (var i = 0; i < inputs.length; i++) {
              var value = parseFloat(inputs[i].value);
              var max = parseFloat(inputs[i].getAttribute('max'));
              if (!(value >= 0 && value <= max)) { value = 0; }
              var primary = inputs[i].getAttribute('data-primary');
              sums[primary] = (sums[primary] || 0) + value;
              total += value;
            }
            var outputs = form.querySelectorAll('output[data-max]');
            for (var j = 0; j < outputs.length; j++) {
              var code = outputs[j].id.replace('primary-', '');
              var got = sums[code] || 0;
              outputs[j].textContent = fmt(got);
              outputs[j].className = got + 1e-9 >= minShare * parseFloat(outputs[j].getAttribute('data-max')) ? 'pass' : 'fail';
            }
            var shown = document.getElementById('total');
            if (shown) {
              shown.textContent = fmt(total);
              shown.className = total + 1e-9 >= minTotal ? 'pass' : 'fail';
            }
            var verdict = document.getElementById('verdict');
            if (verdict) { verdict.classList.add('stale'); }
          }
          form.addEventListener('input', update);
          form.addEventListener('change', update);
        })();
        """
}
