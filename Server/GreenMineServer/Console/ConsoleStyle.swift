/// The console's one stylesheet, served by the binary at `/console/static/console.css`.
enum ConsoleStyle {
    static let css = """
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 "Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;color:#1d2a22;background:#f4f7f4}
        header{background:#2f6b3f;color:#fff;padding:.6em 1.2em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
        header a,header button{color:#fff}
        header .who{margin-left:auto}
        header form{display:inline}
        header button{background:none;border:1px solid #fff;border-radius:3px;cursor:pointer}
        main{max-width:1100px;margin:1em auto;padding:0 1em}
        h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #cbd8cd;padding-bottom:.2em;margin-top:1.6em}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border:1px solid #d5dfd7;padding:.35em .6em;text-align:left;vertical-align:top}
        th{background:#e8f0ea}
        .box{background:#fff;border:1px solid #d5dfd7;border-radius:4px;padding:1em;margin:1em 0}
        .narrow{max-width:420px}
        label{display:block;margin:.5em 0 .2em}
        input[type=text],input[type=password],input[type=search],select,textarea{width:100%;padding:.35em;border:1px solid #9fb3a4;border-radius:3px;font:inherit}
        textarea{min-height:5em}
        button,.button{background:#2f6b3f;color:#fff;border:0;border-radius:3px;padding:.4em 1em;font:inherit;cursor:pointer;text-decoration:none}
        .filters{display:flex;gap:.6em;flex-wrap:wrap;align-items:end}
        .filters label{margin:0}
        .filters>div{min-width:10em}
        .error{background:#fdecea;border:1px solid #e0a19a;color:#8a1f11;padding:.6em 1em;border-radius:4px}
        .notice{background:#fff7e0;border:1px solid #e6c96f;padding:.6em 1em;border-radius:4px}
        .ok{background:#e6f4ea;border:1px solid #8cc59b;padding:.6em 1em;border-radius:4px}
        .counts span{display:inline-block;margin:0 .8em .4em 0;background:#e8f0ea;padding:.1em .6em;border-radius:3px}
        .finding-error{color:#8a1f11}.finding-warning{color:#7a5a00}
        img.attachment{max-width:320px;max-height:240px;border:1px solid #ccc;display:block}
        .actions form{border-top:1px solid #e0e6e1;padding-top:.6em;margin-top:.6em;display:grid;grid-template-columns:1fr auto;gap:.2em 1em;align-items:end}
        .actions form>label,.actions form>select{grid-column:1/-1}
        .actions form>label{margin:0}
        .actions form textarea{min-height:2.8em;height:2.8em}
        .actions form>p{margin:0}
        .actions h2{margin-top:0}
        .muted{color:#667}
        header nav{display:flex;gap:1em;flex-wrap:wrap}
        .notice-body{white-space:pre-wrap}
        code.secret{font-size:1.3em;background:#fff7e0;padding:.1em .4em;border:1px solid #e6c96f;border-radius:3px}
        svg.chart{max-width:100%;height:auto;background:#fff;border:1px solid #d5dfd7;padding:.5em}
        table.dashboard td{text-align:right}
        footer{max-width:1100px;margin:2em auto;padding:0 1em;color:#667;font-size:.9em}
        """
}
