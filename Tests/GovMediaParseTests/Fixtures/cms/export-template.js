export default `<div class="list">
  <ul class="news">
    <li><a href="/xwfb/20261122/a1.html" title="净月高新区举办\`冬季运动\`主题活动">净月高新区举办冬季运动主题活动</a><span class="time">2026-11-22</span></li>
    <li><a href="/xwfb/20261120/a2.html" title="区政府常务会议研究部署冬季供暖工作">区政府常务会议研究部署冬季供暖工作</a><span class="time">2026-11-20</span></li>
    <li><a href="https://mp.weixin.qq.com/s/AbCdEf123" title="净月发布：一图读懂2026年民生实事">净月发布：一图读懂2026年民生实事</a><span class="time">2026-11-18</span></li>
  </ul>
  <script>var x = \`\${total}\`;</script>
</div>`;
