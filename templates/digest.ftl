<#-- Alerts beyond the robot's rate limit, folded into one message, most severe first.
     Model: body.alerts (each an alert, as in event.ftl), body.count. -->
### ${variables.dingtalkTitle}

**${body.count} more alerts**

<#list body.alerts as a>
- **${a.level!"?"}** <#if a.projectSlug??>【${a.projectSlug}】</#if>${a.title}<#if a.link??> [👉](${url(a.link)})</#if>
</#list>
